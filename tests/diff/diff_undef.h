/* SPDX-License-Identifier: MIT */
/* What the SDM leaves undefined in the results of the forms of
 * isa_forms.h: the "Flags Affected" section of each instruction's page in
 * SDM Vol. 2 (and the Description / Operation for the destinations of
 * SHLD, SHRD, BSF and BSR), one row per mnemonic and condition. The
 * condition is evaluated per case on the case's inputs (the masked count,
 * the source operand), so exactly the undefined parts of that case are
 * known. On an Intel host nothing is excluded (the engine models an Intel
 * CPU bit for bit); on any other host diff_record.h leaves these parts
 * out of the host comparison and checks them against the Intel record.
 * The rule is the SDM, not what some other CPU happens to do: rows stand
 * also where every host so far agreed with Intel. Only the first
 * instruction of a form is looked up; a later one with undefined parts
 * is reported (diff_undef_parse sets later). A second table lists the
 * instructions whose behaviour the SDM defines but other vendors define
 * differently (diff_intel_only): forms holding one are not run natively
 * on other hosts at all. */
#ifndef OPENHVF_TEST_DIFF_UNDEF_H
#define OPENHVF_TEST_DIFF_UNDEF_H

#include "diff_native.h"

#define UF_CF 0x001u
#define UF_PF 0x004u
#define UF_AF 0x010u
#define UF_ZF 0x040u
#define UF_SF 0x080u
#define UF_OF 0x800u
#define UF_ARITH (UF_CF | UF_PF | UF_AF | UF_ZF | UF_SF | UF_OF)

enum undef_when {
	U_ALWAYS,        /* every execution */
	U_COUNT_NZ,      /* masked count (COUNT AND 1FH; 3FH with REX.W) != 0 */
	U_COUNT_GT1,     /* masked count > 1 */
	U_COUNT_GE_SIZE, /* masked count >= operand size in bits */
	U_COUNT_GT_SIZE, /* masked count > operand size in bits */
	U_SRC_ZERO,      /* source operand zero */
};

struct undef_rule {
	const char *mnem; /* AT&T mnemonic without its size suffix */
	enum undef_when when;
	unsigned flags;   /* RFLAGS bits the SDM leaves undefined */
	bool dest;        /* the destination operand is undefined too */
	const char *sdm;  /* the SDM Vol. 2 page saying so */
};

#define ROT "Vol. 2B RCL/RCR/ROL/ROR-Rotate"
#define SHF "Vol. 2B SAL/SAR/SHL/SHR-Shift"
#define SHLD_P "Vol. 2B SHLD-Double Precision Shift Left"
#define SHRD_P "Vol. 2B SHRD-Double Precision Shift Right"

static const struct undef_rule diff_undef_rules[] = {
	/* "The state of the AF flag is undefined." */
	{ "and", U_ALWAYS, UF_AF, false, "Vol. 2A AND-Logical AND" },
	{ "or", U_ALWAYS, UF_AF, false, "Vol. 2B OR-Logical Inclusive OR" },
	{ "xor", U_ALWAYS, UF_AF, false, "Vol. 2C XOR-Logical Exclusive OR" },
	{ "test", U_ALWAYS, UF_AF, false, "Vol. 2B TEST-Logical Compare" },
	/* "If the masked count is 1, then the OF flag is affected,
	 * otherwise (masked count is greater than 1) the OF flag is
	 * undefined" (a masked count of 0 affects no flag). */
	{ "rol", U_COUNT_GT1, UF_OF, false, ROT },
	{ "ror", U_COUNT_GT1, UF_OF, false, ROT },
	{ "rcl", U_COUNT_GT1, UF_OF, false, ROT },
	{ "rcr", U_COUNT_GT1, UF_OF, false, ROT },
	/* "For a non-zero count, the AF flag is undefined"; OF "is affected
	 * only for 1-bit shifts"; CF "is undefined for SHL and SHR
	 * instructions where the count is greater than or equal to the
	 * size (in bits) of the destination operand". */
	{ "shl", U_COUNT_NZ, UF_AF, false, SHF },
	{ "shl", U_COUNT_GT1, UF_OF, false, SHF },
	{ "shl", U_COUNT_GE_SIZE, UF_CF, false, SHF },
	{ "sal", U_COUNT_NZ, UF_AF, false, SHF },
	{ "sal", U_COUNT_GT1, UF_OF, false, SHF },
	{ "sal", U_COUNT_GE_SIZE, UF_CF, false, SHF },
	{ "shr", U_COUNT_NZ, UF_AF, false, SHF },
	{ "shr", U_COUNT_GT1, UF_OF, false, SHF },
	{ "shr", U_COUNT_GE_SIZE, UF_CF, false, SHF },
	{ "sar", U_COUNT_NZ, UF_AF, false, SHF },
	{ "sar", U_COUNT_GT1, UF_OF, false, SHF },
	/* "If a shift occurs, the AF flag is undefined"; "For shifts
	 * greater than 1 bit, the OF flag is undefined"; "If the count is
	 * greater than the operand size, the flags are undefined" and (in
	 * Description and Operation) so is DEST: a 16-bit operand with a
	 * masked count of 17 to 31. */
	{ "shld", U_COUNT_NZ, UF_AF, false, SHLD_P },
	{ "shld", U_COUNT_GT1, UF_OF, false, SHLD_P },
	{ "shld", U_COUNT_GT_SIZE, UF_ARITH, true, SHLD_P },
	{ "shrd", U_COUNT_NZ, UF_AF, false, SHRD_P },
	{ "shrd", U_COUNT_GT1, UF_OF, false, SHRD_P },
	{ "shrd", U_COUNT_GT_SIZE, UF_ARITH, true, SHRD_P },
	/* "The SF, ZF, AF, and PF flags are undefined." */
	{ "mul", U_ALWAYS, UF_SF | UF_ZF | UF_AF | UF_PF, false,
	  "Vol. 2B MUL-Unsigned Multiply" },
	{ "imul", U_ALWAYS, UF_SF | UF_ZF | UF_AF | UF_PF, false,
	  "Vol. 2A IMUL-Signed Multiply" },
	/* "The CF, OF, SF, ZF, AF, and PF flags are undefined." */
	{ "div", U_ALWAYS, UF_ARITH, false, "Vol. 2A DIV-Unsigned Divide" },
	{ "idiv", U_ALWAYS, UF_ARITH, false, "Vol. 2A IDIV-Signed Divide" },
	/* BMI1/BMI2: "AF and PF flags are undefined" (BEXTR: "AF, SF, and
	 * PF are undefined"). */
	{ "andn", U_ALWAYS, UF_AF | UF_PF, false, "Vol. 2A ANDN-Logical AND NOT" },
	{ "bextr", U_ALWAYS, UF_AF | UF_SF | UF_PF, false,
	  "Vol. 2A BEXTR-Bit Field Extract" },
	{ "blsi", U_ALWAYS, UF_AF | UF_PF, false,
	  "Vol. 2A BLSI-Extract Lowest Set Isolated Bit" },
	{ "blsmsk", U_ALWAYS, UF_AF | UF_PF, false,
	  "Vol. 2A BLSMSK-Get Mask Up to Lowest Set Bit" },
	{ "blsr", U_ALWAYS, UF_AF | UF_PF, false,
	  "Vol. 2A BLSR-Reset Lowest Set Bit" },
	{ "bzhi", U_ALWAYS, UF_AF | UF_PF, false,
	  "Vol. 2A BZHI-Zero High Bits Starting with Specified Bit Position" },
	/* "OF, SF, PF and AF flags are undefined." */
	{ "lzcnt", U_ALWAYS, UF_OF | UF_SF | UF_PF | UF_AF, false,
	  "Vol. 2A LZCNT-Count the Number of Leading Zero Bits" },
	{ "tzcnt", U_ALWAYS, UF_OF | UF_SF | UF_PF | UF_AF, false,
	  "Vol. 2B TZCNT-Count the Number of Trailing Zero Bits" },
	/* "The CF, OF, SF, AF, and PF flags are undefined"; "If the content
	 * of the source operand is 0, the content of the destination
	 * operand is undefined." */
	{ "bsf", U_ALWAYS, UF_CF | UF_OF | UF_SF | UF_AF | UF_PF, false,
	  "Vol. 2A BSF-Bit Scan Forward" },
	{ "bsf", U_SRC_ZERO, 0, true, "Vol. 2A BSF-Bit Scan Forward" },
	{ "bsr", U_ALWAYS, UF_CF | UF_OF | UF_SF | UF_AF | UF_PF, false,
	  "Vol. 2A BSR-Bit Scan Reverse" },
	{ "bsr", U_SRC_ZERO, 0, true, "Vol. 2A BSR-Bit Scan Reverse" },
	/* "The OF, SF, AF, and PF flags are undefined." */
	{ "bt", U_ALWAYS, UF_OF | UF_SF | UF_AF | UF_PF, false,
	  "Vol. 2A BT-Bit Test" },
	{ "bts", U_ALWAYS, UF_OF | UF_SF | UF_AF | UF_PF, false,
	  "Vol. 2A BTS-Bit Test and Set" },
	{ "btr", U_ALWAYS, UF_OF | UF_SF | UF_AF | UF_PF, false,
	  "Vol. 2A BTR-Bit Test and Reset" },
	{ "btc", U_ALWAYS, UF_OF | UF_SF | UF_AF | UF_PF, false,
	  "Vol. 2A BTC-Bit Test and Complement" },
	/* BCD adjustments (32-bit forms only). */
	{ "aaa", U_ALWAYS, UF_OF | UF_SF | UF_ZF | UF_PF, false,
	  "Vol. 2A AAA-ASCII Adjust After Addition" },
	{ "aas", U_ALWAYS, UF_OF | UF_SF | UF_ZF | UF_PF, false,
	  "Vol. 2A AAS-ASCII Adjust AL After Subtraction" },
	{ "daa", U_ALWAYS, UF_OF, false,
	  "Vol. 2A DAA-Decimal Adjust AL after Addition" },
	{ "das", U_ALWAYS, UF_OF, false,
	  "Vol. 2A DAS-Decimal Adjust AL after Subtraction" },
	{ "aam", U_ALWAYS, UF_OF | UF_AF | UF_CF, false,
	  "Vol. 2A AAM-ASCII Adjust AX After Multiply" },
	{ "aad", U_ALWAYS, UF_OF | UF_AF | UF_CF, false,
	  "Vol. 2A AAD-ASCII Adjust AX Before Division" },
};

#undef ROT
#undef SHF
#undef SHLD_P
#undef SHRD_P

/* Defined by the SDM, defined otherwise by other vendors: a form holding
 * one of these (in 64-bit mode) runs natively only on an Intel host. */
static const struct intel_only {
	const char *mnem; /* exact AT&T mnemonic */
	const char *sdm;
} diff_intel_only[] = {
	/* Intel ignores 66H on near branches in 64-bit mode; AMD64 honours
	 * it (a 16-bit return address: the native run jumps outside the
	 * test page). */
	{ "retw", "Vol. 2D A.2.5 f64: RET's operand size is forced to 64 bits "
		  "in 64-bit mode, 66H ignored; AMD64 honours 66H" },
};

#define DIFF_NRULES (sizeof(diff_undef_rules) / sizeof(diff_undef_rules[0]))
_Static_assert(DIFF_NRULES <= 64, "rules hit by a case fit a uint64_t");

static inline const char *undef_when_text(enum undef_when w)
{
	static const char *const t[] = {
		[U_ALWAYS] = "always",
		[U_COUNT_NZ] = "when the masked count != 0",
		[U_COUNT_GT1] = "when the masked count > 1",
		[U_COUNT_GE_SIZE] = "when the masked count >= the operand size",
		[U_COUNT_GT_SIZE] = "when the masked count > the operand size",
		[U_SRC_ZERO] = "when the source is 0",
	};
	return t[w];
}

/* ---- the operands of a form, parsed from its AT&T text ---- */

enum opnd_kind { OP_NONE, OP_IMM, OP_REG, OP_MEM };

struct opnd {
	enum opnd_kind kind;
	unsigned reg;   /* the register, or the base register of OP_MEM */
	unsigned shift; /* 8 for AH, CH, DH, BH */
	unsigned bytes; /* the width read (register or memory operand) */
	int64_t val;    /* the immediate, or the displacement of OP_MEM */
};

/* The rows of one form, its operand size and the operands the
 * conditions and destinations refer to. */
struct form_undef {
	unsigned rule[4], nrules;
	unsigned bits;
	unsigned nops;
	struct opnd src; /* the first operand: a count or BSF's source */
	struct opnd dst; /* the last operand */
	bool later;      /* a later instruction of the form has rows */
	const char *intel_only; /* why only an Intel host runs it, or NULL */
};

/* The AT&T name of GPR r at width 1 << w bytes (hi: AH, CH, DH, BH). */
static inline void undef_gpr_name(char *b, size_t n, unsigned r, unsigned w,
				  bool hi)
{
	static const char *const x[8] = { "ax", "cx", "dx", "bx",
					  "sp", "bp", "si", "di" };
	static const char *const lo8[8] = { "al", "cl", "dl", "bl",
					    "spl", "bpl", "sil", "dil" };
	static const char *const rsfx[4] = { "b", "w", "d", "" };

	if (r >= 8)
		snprintf(b, n, "r%u%s", r, rsfx[w]);
	else if (hi)
		snprintf(b, n, "%ch", x[r][0]);
	else if (w == 0)
		snprintf(b, n, "%s", lo8[r]);
	else
		snprintf(b, n, "%s%s", w == 1 ? "" : w == 2 ? "e" : "r", x[r]);
}

/* True if s[0..n) names a GPR; fills o. */
static inline bool undef_parse_reg(const char *s, size_t n, struct opnd *o)
{
	char name[8];

	for (unsigned r = 0; r < 16; r++)
		for (unsigned w = 0; w < 4; w++)
			for (unsigned hi = 0; hi < (w == 0 && r < 4 ? 2u : 1u);
			     hi++) {
				undef_gpr_name(name, sizeof(name), r, w, hi);
				if (strlen(name) == n && memcmp(name, s, n) == 0) {
					*o = (struct opnd){ OP_REG, r, hi ? 8 : 0,
							    1u << w, 0 };
					return true;
				}
			}
	return false;
}

/* One operand, text s[0..n): $imm, %reg or [disp](%reg). */
static inline void undef_parse_opnd(const char *s, size_t n, struct opnd *o)
{
	const char *p = memchr(s, '(', n);

	*o = (struct opnd){ OP_NONE, 0, 0, 0, 0 };
	if (n > 1 && s[0] == '$') {
		o->kind = OP_IMM;
		o->val = strtoll(s + 1, NULL, 0);
	} else if (n > 1 && s[0] == '%') {
		undef_parse_reg(s + 1, n - 1, o);
	} else if (p && p[1] == '%' && memchr(p, ')', n - (size_t)(p - s))) {
		const char *q = memchr(p, ')', n - (size_t)(p - s));

		if (undef_parse_reg(p + 2, (size_t)(q - p - 2), o)) {
			o->kind = OP_MEM;
			o->val = p > s ? strtoll(s, NULL, 0) : 0;
		}
	}
}

/* True if mnemonic m (n characters) is rule mnemonic r, with or without
 * a size suffix; *bits is set from the suffix. */
static inline bool undef_mnem_is(const char *m, size_t n, const char *r,
				 unsigned *bits)
{
	size_t k = strlen(r);
	const char *sfx = "bwlq";

	if (n < k || memcmp(m, r, k) != 0)
		return false;
	if (n == k)
		return true;
	if (n != k + 1 || !strchr(sfx, m[k]))
		return false;
	*bits = 8u << (strchr(sfx, m[k]) - sfx);
	return true;
}

/* The mnemonic of the instruction in line s (after a "1:" label and a
 * LOCK prefix); *n its length, the operands follow. */
static inline const char *undef_mnem(const char *s, size_t *n)
{
	while (*s == ' ')
		s++;
	if (s[0] >= '0' && s[0] <= '9' && s[1] == ':')
		s += 2;
	while (*s == ' ')
		s++;
	if (strncmp(s, "lock ", 5) == 0)
		s += 5;
	*n = strcspn(s, " \n");
	return s;
}

/* Collects the rows of the mnemonic at line s into fu; true if any. */
static inline bool undef_rows(const char *s, struct form_undef *fu)
{
	size_t n;
	const char *m = undef_mnem(s, &n);

	fu->nrules = 0;
	for (unsigned i = 0; i < DIFF_NRULES && fu->nrules < 4; i++)
		if (undef_mnem_is(m, n, diff_undef_rules[i].mnem, &fu->bits))
			fu->rule[fu->nrules++] = i;
	return fu->nrules != 0;
}

/* Splits the operands of the first line (commas outside parentheses). */
static inline void undef_operands(const char *s, struct form_undef *fu)
{
	size_t n;
	const char *p = undef_mnem(s, &n) + n;
	const char *end = p + strcspn(p, "\n");

	while (p < end && *p == ' ')
		p++;
	fu->nops = 0;
	while (p < end) {
		const char *q = p;
		int depth = 0;

		while (q < end && (depth || *q != ',')) {
			depth += (*q == '(') - (*q == ')');
			q++;
		}
		undef_parse_opnd(p, (size_t)(q - p), fu->nops ? &fu->dst : &fu->src);
		if (!fu->nops)
			fu->dst = fu->src;
		fu->nops++;
		p = q < end ? q + 1 : end;
	}
}

/* The diff_intel_only entry of an instruction of the form, or NULL. */
static inline const char *undef_intel_only(const char *text)
{
	const size_t k = sizeof(diff_intel_only) / sizeof(diff_intel_only[0]);

	for (const char *l = text; l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		size_t n;
		const char *m = undef_mnem(l, &n);

		for (size_t i = 0; i < k; i++)
			if (strlen(diff_intel_only[i].mnem) == n &&
			    memcmp(m, diff_intel_only[i].mnem, n) == 0)
				return diff_intel_only[i].sdm;
	}
	return NULL;
}

/* Parses form f once: its rows, operand size and operands. */
static inline void diff_undef_parse(const struct form *f, bool is32,
				    struct form_undef *fu)
{
	struct form_undef later;

	memset(fu, 0, sizeof(*fu));
	undef_rows(f->text, fu);
	undef_operands(f->text, fu);
	if (!fu->bits)
		fu->bits = fu->dst.kind == OP_REG ? fu->dst.bytes * 8 : 32;
	if (fu->src.kind == OP_MEM)
		fu->src.bytes = fu->bits / 8;
	if (fu->dst.kind == OP_MEM)
		fu->dst.bytes = fu->bits / 8;
	for (const char *l = strchr(f->text, '\n'); l; l = strchr(l + 1, '\n'))
		fu->later = fu->later || undef_rows(l + 1, &later);
	if (!is32)
		fu->intel_only = undef_intel_only(f->text);
}

/* The value of operand o in the case's inputs (in, and din for a memory
 * operand; 0 if it lies outside the data buffer). */
static inline uint64_t undef_value(const struct opnd *o, const struct xstate *in,
				   const uint8_t *din, bool is32)
{
	uint64_t v = 0, a;

	if (o->kind == OP_IMM)
		return (uint64_t)o->val;
	if (o->kind == OP_REG)
		v = in->gpr[o->reg] >> o->shift;
	if (o->kind == OP_MEM) {
		a = in->gpr[o->reg] + (uint64_t)o->val;
		a = is32 ? (uint32_t)a : a;
		if (a >= DIFF_DATA && a + o->bytes <= DIFF_DATA + DIFF_DATA_SIZE)
			memcpy(&v, din + (a - DIFF_DATA), o->bytes);
	}
	return o->bytes >= 8 ? v : v & ((1ull << (o->bytes * 8)) - 1);
}

/* The count of a shift or rotate masked as the SDM's Operation does
 * (COUNT AND 1FH, or 3FH for 64-bit operands; SHLD/SHRD: COUNT MOD 32
 * or 64, the same): the first operand, or 1 for the one-operand form. */
static inline unsigned undef_count(const struct form_undef *fu,
				   const struct xstate *in, const uint8_t *din,
				   bool is32)
{
	uint64_t c = fu->nops < 2 ? 1 : undef_value(&fu->src, in, din, is32);

	return (unsigned)(c & (fu->bits == 64 ? 63 : 31));
}

static inline bool undef_holds(enum undef_when w, const struct form_undef *fu,
			       const struct xstate *in, const uint8_t *din,
			       bool is32)
{
	switch (w) {
	case U_ALWAYS: return true;
	case U_COUNT_NZ: return undef_count(fu, in, din, is32) != 0;
	case U_COUNT_GT1: return undef_count(fu, in, din, is32) > 1;
	case U_COUNT_GE_SIZE: return undef_count(fu, in, din, is32) >= fu->bits;
	case U_COUNT_GT_SIZE: return undef_count(fu, in, din, is32) > fu->bits;
	case U_SRC_ZERO: return undef_value(&fu->src, in, din, is32) == 0;
	}
	return false;
}

/* Marks the destination of the case undefined in x: the operand's
 * bits of a 16-bit register (a 16-bit write keeps bits 63:16), the
 * whole register otherwise (whether bits 63:32 are zeroed is part of
 * the undefined write), or the bytes of a memory operand. */
static inline void undef_dest(const struct form_undef *fu,
			      const struct xstate *in, bool is32,
			      struct diff_excl *x)
{
	if (fu->dst.kind == OP_REG) {
		x->reg = (int)fu->dst.reg;
		x->reg_mask = fu->bits == 16 ? 0xffffull : ~0ull;
	} else if (fu->dst.kind == OP_MEM) {
		uint64_t a = in->gpr[fu->dst.reg] + (uint64_t)fu->dst.val;

		a = is32 ? (uint32_t)a : a;
		x->mem_off = (long)(a - DIFF_DATA);
		x->mem_len = fu->bits / 8;
	}
}

/* The parts of one case the SDM leaves undefined; returns the rows that
 * apply as a bit mask. */
static inline uint64_t diff_undef_case(const struct form_undef *fu,
				       const struct xstate *in,
				       const uint8_t *din, bool is32,
				       struct diff_excl *x)
{
	uint64_t hit = 0;

	*x = (struct diff_excl){ 0, -1, 0, 0, 0 };
	for (unsigned i = 0; i < fu->nrules; i++) {
		const struct undef_rule *r = &diff_undef_rules[fu->rule[i]];

		if (!undef_holds(r->when, fu, in, din, is32))
			continue;
		hit |= 1ull << fu->rule[i];
		x->flags |= r->flags;
		if (r->dest)
			undef_dest(fu, in, is32, x);
	}
	return hit;
}

/* True if a row of the form can leave a memory destination undefined
 * (its bytes then belong in the record). */
static inline bool diff_undef_mem_dest(const struct form_undef *fu)
{
	for (unsigned i = 0; i < fu->nrules; i++)
		if (diff_undef_rules[fu->rule[i]].dest && fu->dst.kind == OP_MEM)
			return true;
	return false;
}

#endif
