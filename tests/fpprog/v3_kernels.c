/* SPDX-License-Identifier: MIT */
/* Freestanding kernels compiled with -O2 -march=x86-64-v3 (AVX2, FMA,
 * F16C, BMI, MOVBE) into one flat binary at V3_LOAD. fp_v3_main(out)
 * fills out[] with the results; the same bytes run natively and in a
 * guest (tests/diff/v3_prog_test.c), and the outputs must be equal. */
#include <stddef.h>
#include <stdint.h>

#define N 256

static float fa[N], fb[N], fc[N];
static double da[N], db[N];
static uint32_t ia[N], ib[N];
static uint8_t str[N + 16];

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s;
}

static void init(void)
{
	uint32_t s = 12345;

	for (int i = 0; i < N; i++) {
		fa[i] = (float)(int32_t)lcg(&s) / 65536.0f;
		fb[i] = (float)(lcg(&s) & 0xffff) / 1024.0f - 32.0f;
		da[i] = (double)(int32_t)lcg(&s) / 3.0;
		db[i] = (double)(lcg(&s) >> 8) * 1e-3;
		ia[i] = lcg(&s);
		ib[i] = lcg(&s) >> (i & 31);
		str[i] = (uint8_t)('a' + lcg(&s) % 26);
	}
	str[N - 7] = 0;
}

/* a*b+c contracts to FMA under -march=x86-64-v3. */
static void saxpy(float k)
{
	for (int i = 0; i < N; i++)
		fc[i] = k * fa[i] + fb[i];
}

static double ddot(void)
{
	double s = 0;

	for (int i = 0; i < N; i++)
		s += da[i] * db[i];
	return s;
}

static float poly(float x)
{
	return ((((0.1f * x + 0.2f) * x - 0.3f) * x + 0.7f) * x) - 1.5f;
}

static uint32_t imix(void)
{
	uint32_t acc = 0;

	for (int i = 0; i < N; i++) {
		uint32_t v = (ia[i] >> (ib[i] & 15)) ^ (ia[i] << (i & 7));

		acc += v * 2654435761u + (ia[i] > ib[i] ? ia[i] - ib[i] : ib[i]);
	}
	return acc;
}

static size_t slen(const uint8_t *p)
{
	size_t n = 0;

	while (p[n])
		n++;
	return n;
}

static void sort(uint32_t *v, int n)
{
	for (int i = 1; i < n; i++) {
		uint32_t x = v[i];
		int j = i - 1;

		while (j >= 0 && v[j] > x) {
			v[j + 1] = v[j];
			j--;
		}
		v[j + 1] = x;
	}
}

static void fminmax(float *lo, float *hi)
{
	float a = fa[0], b = fa[0];

	for (int i = 0; i < N; i++) {
		a = fa[i] < a ? fa[i] : a;
		b = fa[i] > b ? fa[i] : b;
	}
	*lo = a;
	*hi = b;
}

__attribute__((section(".text.entry"))) void fp_v3_main(uint64_t *out);

void fp_v3_main(uint64_t *out)
{
	float lo, hi, p = 0;
	union { double d; uint64_t u; } cv;
	union { float f[2]; uint64_t u; } fv;

	init();
	saxpy(1.75f);
	for (int i = 0; i < N; i += 4) {
		fv.f[0] = fc[i];
		fv.f[1] = fc[i + 1];
		out[i / 4] = fv.u;
	}
	cv.d = ddot();
	out[64] = cv.u;
	for (int i = 0; i < N; i++)
		p += poly(fb[i]);
	fv.f[0] = p;
	fv.f[1] = 0;
	out[65] = fv.u;
	out[66] = imix();
	out[67] = slen(str);
	sort(ib, N);
	for (int i = 0; i < 32; i++)
		out[68 + i] = (uint64_t)ib[8 * i] << 32 | ib[8 * i + 7];
	fminmax(&lo, &hi);
	fv.f[0] = lo;
	fv.f[1] = hi;
	out[100] = fv.u;
}
