#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Generates isa_forms.h, the instruction forms of the ISA differential
# tests (tests/diff/isa_diff_test.c, tests/unit/emu_diff_test.c): run
# `python3 tests/diff/gen_forms.py` from the top of the tree after editing.
import os
out = []
def F(setup, text):
    out.append((setup, text))
R = {'b': ('%cl','%dl','%ch','%ah'), 'w': ('%cx','%dx','%si','%r9w'), 'l': ('%ecx','%edx','%esi','%r9d'), 'q': ('%rcx','%rdx','%rsi','%r9')}
A = {'b':'%al','w':'%ax','l':'%eax','q':'%rax'}
sizes = 'bwlq'
for op in ['add','or','adc','sbb','and','sub','xor','cmp']:
    for s in sizes:
        r = R[s]
        F('S_NONE', f'{op}{s} {r[0]},{r[1]}')
        F('S_NONE', f'{op}{s} {r[2]},{r[3]}')
        F('S_MEM', f'{op}{s} {r[0]},8(%rbx)')
        F('S_MEM', f'{op}{s} -8(%rbx),{r[1]}')
        if s != 'b':
            F('S_NONE', f'{op}{s} $-3,{r[1]}')
        F('S_NONE', f'{op}{s} $0x7f,{A[s]}' if s=='b' else f'{op}{s} $0x12345678,{A[s]}' if s!='w' else f'{op}{s} $0x8234,{A[s]}')
        F('S_NONE', f'{op}{s} $0x{"81" if s=="b" else "8765" if s=="w" else "87654321" if s=="l" else "7654321"},{r[1]}')
        F('S_NONE', f'{op}{s} $-0x{"7f" if s=="b" else "789a" if s=="w" else "789abcdf"},{r[1]}')
        if s == 'b':
            F('S_NONE', f'{op}b %sil,%r9b')
        F('S_MEM', f'{op}{s} $0x{"5a" if s=="b" else "5a5a" if s=="w" else "5a5a5a5a"},(%rbx)')
        if op != 'cmp':
            F('S_MEM', f'lock {op}{s} {r[0]},(%rbx)')
for op in ['inc','dec','neg','not']:
    for s in sizes:
        F('S_NONE', f'{op}{s} {R[s][1]}')
        F('S_MEM', f'{op}{s} 3(%rbx)')
        F('S_MEM', f'lock {op}{s} (%rbx)')
for s in sizes:
    F('S_NONE', f'test{s} {R[s][0]},{R[s][1]}')
    F('S_MEM', f'test{s} {R[s][0]},(%rbx)')
    F('S_NONE', f'test{s} $0x{"81" if s=="b" else "8001" if s=="w" else "80000001" if s=="l" else "40000001"},{A[s]}')
    F('S_NONE', f'test{s} $0x{"41" if s=="b" else "4001" if s=="w" else "40000001"},{R[s][1]}')
for op in ['rol','ror','rcl','rcr','shl','shr','sar']:
    for s in sizes:
        d = R[s][1]
        F('S_NONE', f'{op}{s} {d}')
        F('S_NONE', f'{op}{s} %cl,{d}')
        for imm in (2, 7, 8, 9, 16, 17, 31, 33, 63):
            F('S_NONE', f'{op}{s} ${imm},{d}')
        F('S_MEM', f'{op}{s} %cl,(%rbx)')
        F('S_MEM', f'{op}{s} 1(%rbx)')
for op in ['shld','shrd']:
    for s in 'wlq':
        F('S_NONE', f'{op}{s} %cl,{R[s][2]},{R[s][1]}')
        for imm in (1, 5, 16, 17, 31, 40):
            F('S_NONE', f'{op}{s} ${imm},{R[s][2]},{R[s][1]}')
        F('S_MEM', f'{op}{s} %cl,{R[s][2]},(%rbx)')
for s in sizes:
    F('S_NONE', f'mul{s} {R[s][0]}')
    F('S_NONE', f'imul{s} {R[s][0]}')
    F('S_MEM', f'mul{s} (%rbx)')
    F('S_DIV' + s, f'div{s} {R[s][0]}')
    F('S_IDIV' + s, f'idiv{s} {R[s][0]}')
    if s != 'b':
        F('S_NONE', f'imul{s} {R[s][0]},{R[s][1]}')
        F('S_MEM', f'imul{s} (%rbx),{R[s][1]}')
        F('S_NONE', f'imul{s} $-7,{R[s][0]},{R[s][1]}')
        F('S_NONE', f'imul{s} $0x{"1234" if s=="w" else "12345"},{R[s][0]},{R[s][1]}')
for op in ['bt','bts','btr','btc']:
    for s in 'wlq':
        F('S_NONE', f'{op}{s} {R[s][0]},{R[s][1]}')
        F('S_NONE', f'{op}{s} $13,{R[s][1]}')
        F('S_NONE', f'{op}{s} $45,{R[s][1]}')
        F('S_BTMEM', f'{op}{s} {A[s]},(%rbx)')
        F('S_MEM', f'{op}{s} $7,(%rbx)')
        if op != 'bt':
            F('S_BTMEM', f'lock {op}{s} {A[s]},(%rbx)')
for op in ['bsf','bsr','tzcnt','lzcnt','popcnt']:
    for s in 'wlq':
        F('S_NONE', f'{op}{s} {R[s][0]},{R[s][1]}')
        F('S_MEM', f'{op}{s} (%rbx),{R[s][1]}')
        F('S_ZERO', f'{op}{s} {R[s][0]},{R[s][1]}')
for t in ['movzbw %cl,%dx','movzbl %ah,%edx','movzbq %sil,%rdx','movzwl %cx,%edx','movzwq (%rbx),%rdx',
          'movsbw %cl,%dx','movsbl %ah,%edx','movsbq (%rbx),%rdx','movswl %cx,%edx','movswq %cx,%rdx',
          'movslq %ecx,%rdx','movslq (%rbx),%rdx','.byte 0x63,0xd1','.byte 0x66,0x63,0xd1',
          'cbtw','cwtl','cltq','cwtd','cltd','cqto','bswap %ecx','bswap %rcx','bswap %r9','.byte 0x66,0x0f,0xc9',
          'xchg %cl,%dl','xchg %ah,%dh','xchg %ecx,%edx','xchg %rcx,(%rbx)','xchg %eax,%r9d','xchg %ax,%cx','nop','xchg %rax,%rax','.byte 0x87,0xc0',
          'xaddb %cl,%dl','xaddl %ecx,%edx','xaddq %rcx,(%rbx)','lock xaddw %cx,(%rbx)','xaddq %rcx,%rcx',
          'cmpxchgb %cl,%dl','cmpxchgl %ecx,%edx','cmpxchgq %rcx,%rdx','lock cmpxchgl %ecx,(%rbx)','cmpxchgw %cx,(%rbx)',
          'lahf','sahf','clc','stc','cmc',
          'leaq 12(%rcx,%rdx,4),%rsi','leal -5(%rcx,%rdx,8),%esi','leaw 7(%rcx),%si','leaq 3(%ecx,%edx),%rsi','leaq (,%rdx,2),%rsi',
          'movb %ah,%dh','movw $0x1234,%r9w','movabsq $0x123456789abcdef0,%r9','movl $-1,%r9d','movq $-1,%r9','movb $5,%sil',
          'movq %rcx,16(%rbx)','movl 16(%rbx),%r9d','movw %cx,-2(%rbx,%r11,1)',
          'crc32b %cl,%edx','crc32w %cx,%edx','crc32l %ecx,%edx','crc32q %rcx,%rdx','crc32b (%rbx),%rdx',
          'adcx %ecx,%edx','adcx %rcx,%rdx','adox %ecx,%edx','adox %rcx,%rdx',
          'movbe (%rbx),%cx','movbe (%rbx),%ecx','movbe (%rbx),%rcx','movbe %rcx,(%rbx)','movbe %ecx,(%rbx)',
          'andn %ecx,%edx,%esi','andn %rcx,%rdx,%rsi','bextr %ecx,%edx,%esi','bextr %rcx,%rdx,%rsi',
          'blsi %ecx,%edx','blsi %rcx,%rdx','blsmsk %ecx,%edx','blsmsk %rcx,%rdx','blsr %ecx,%edx','blsr %rcx,%rdx',
          'bzhi %ecx,%edx,%esi','bzhi %rcx,%rdx,%rsi','mulx %ecx,%esi,%r9d','mulx %rcx,%rsi,%r9','mulx %rcx,%r9,%r9',
          'pdep %ecx,%edx,%esi','pdep %rcx,%rdx,%rsi','pext %ecx,%edx,%esi','pext %rcx,%rdx,%rsi',
          'rorx $5,%ecx,%edx','rorx $60,%rcx,%rdx','sarx %ecx,%edx,%esi','sarx %rcx,%rdx,%rsi',
          'shlx %ecx,%edx,%esi','shlx %rcx,%rdx,%rsi','shrx %ecx,%edx,%esi','shrx %rcx,%rdx,%rsi',
          'movnti %rcx,(%rbx)']:
    F('S_MEM' if '(' in t else 'S_NONE', t)
F('S_XLAT', 'xlat')
F('S_MEM', 'cmpxchg8b (%rbx)')
F('S_MEM16', 'cmpxchg16b (%rbx)')
F('S_MEM16', 'lock cmpxchg16b (%rbx)')
F('S_MEMEQ', 'cmpxchg8b (%rbx)')
F('S_MEMEQ', 'lock cmpxchgq %rcx,(%rbx)')
cc = ['o','no','b','ae','e','ne','be','a','s','ns','p','np','l','ge','le','g']
for c in cc:
    F('S_NONE', f'j{c} 1f\n mov $1,%r8\n 1:')
    F('S_NONE', f'set{c} %dl')
    F('S_NONE', f'set{c} %sil')
    F('S_NONE', f'cmov{c}l %ecx,%edx')
    F('S_MEM', f'cmov{c}q (%rbx),%rdx')
    F('S_NONE', f'cmov{c}w %cx,%dx')
F('S_NONE', 'cmp %rcx,%rdx\n jl 1f\n mov $1,%r8\n 1:\n jbe 2f\n mov $1,%r10\n 2:')
F('S_NONE', 'add %ecx,%edx\n jo 1f\n mov $1,%r8\n 1:\n jp 2f\n mov $1,%r10\n 2:')
F('S_NONE', 'inc %cl\n jle 1f\n mov $1,%r8\n 1:\n jc 2f\n mov $1,%r10\n 2:')
F('S_NONE', 'sub %cx,%dx\n sbb %cx,%si\n adc %ecx,%r9d')
F('S_LOOP', 'loop 1f\n mov $1,%r8\n 1:')
F('S_LOOP', 'loope 1f\n mov $1,%r8\n 1:')
F('S_LOOP', 'loopne 1f\n mov $1,%r8\n 1:')
F('S_LOOP', 'jrcxz 1f\n mov $1,%r8\n 1:')
F('S_LOOP', 'jecxz 1f\n mov $1,%r8\n 1:')
F('S_LOOP', 'addr32 loop 1f\n mov $1,%r8\n 1:')
for op in ['movs','stos','lods','cmps','scas']:
    for s in sizes:
        for rep in ['', 'rep ', 'repne ']:
            if rep == 'repne ' and op not in ('cmps','scas'):
                continue
            F('S_STR', f'{rep}{op}{s}')
        F('S_STR', f'addr32 rep {op}{s}' if op not in ('cmps','scas') else f'addr32 repe {op}{s}')
for sfx in 'bwlq':
    F('S_STROV', f'rep movs{sfx}')
    F('S_STRBIG', f'rep movs{sfx}')
    F('S_STRBIG', f'rep stos{sfx}')
# stack and control transfers (code and stack at the same addresses natively
# and in the guest)
for t in ['push %rcx','push %r9','pushw %cx','pushq $-5','pushq $0x12345678','pushw $0x1234','pushq (%rbx)','pushw 2(%rbx)',
          'pop %rdx','pop %r9','popw %dx','popq (%rbx)','popq 8(%rsp)','push %rsp','pop %rsp','pushw %sp','popw %sp',
          'call 1f\n jmp 2f\n 1: ret\n 2:','call 1f\n jmp 2f\n 1: ret $16\n 2:','call 1f\n jmp 2f\n 1: retw\n 2:',
          'lea 1f(%rip),%rcx\n call *%rcx\n jmp 2f\n 1: ret\n 2:','lea 1f(%rip),%rcx\n jmp *%rcx\n mov $1,%r8\n 1:',
          'lea 1f(%rip),%rcx\n mov %rcx,(%rbx)\n jmp *(%rbx)\n mov $1,%r8\n 1:',
          'lea 1f(%rip),%rcx\n mov %rcx,(%rbx)\n call *(%rbx)\n jmp 2f\n 1: ret\n 2:',
          'lea 0(%rip),%rdx','mov -6(%rip),%edx','lea -100(%rip),%rsi','pushfq','pushfw',
          'xchg %rcx,(%rsp)','add %rcx,8(%rsp)','mov (%rsp),%rdx','pause','lea 5(%eip),%rdx',
          'nopw 0x100(%rax,%rax,1)','.byte 0x66,0x66,0x2e,0x0f,0x1f,0x84,0,0,0,0,0','endbr64']:
    F('S_MEM' if '(%rbx)' in t else 'S_NONE', t)
for t in ['enter $32,$0','enter $16,$1','enter $8,$3','enter $0,$31','.byte 0x66,0xc8,8,0,2','leave','.byte 0x66,0xc9','enter $24,$2\n leave']:
    F('S_FRAME', t)
F('S_POPF', 'popfq')
F('S_POPF', 'pushfq\n popfq')
# ---- 32-bit (compatibility mode) forms ----
out32 = []
def F32(setup, text):
    out32.append((setup, text))
for t in ['daa','das','aaa','aas','aam','aam $7','aad','aad $7','.byte 0xd6',
          'inc %ecx','dec %edx','incw %si','decw %di','.byte 0x66,0x40','.byte 0x48',
          'pushal\n popal','pushaw\n popaw','pushal\n pop %eax\n pop %ecx','push %es\n pop %es','push %ds\n pop %ds\n push %ss\n pop %esi',
          'addw %cx,%dx','adcl %ecx,%edx','sbbb %ch,%dh','imulw %cx,%dx','mull %ecx','shldw %cl,%si,%dx','bsfl %ecx,%edx','btcw %cx,%dx',
          'cbtw','cwtl','cwtd','cltd','movzbl %ch,%edx','movsbw %cl,%dx','leal 12(%ecx,%edx,4),%esi','leaw 3(%ecx,%edx),%si',
          'xchg %ecx,%edx','bswap %ecx','cmpxchg %ecx,%edx','xadd %cx,%dx','setc %dl','cmovnel %ecx,%edx','lahf','sahf',
          'jcxz 1f\n mov $1,%ebp\n 1:','jecxz 1f\n mov $1,%ebp\n 1:','addr16 loop 1f\n mov $1,%ebp\n 1:',
          'call 1f\n jmp 2f\n 1: ret\n 2:','call 1f\n jmp 2f\n 1: ret $8\n 2:','pushl $-9','pushw $77','pushfl','pushfw','push %esp\n pop %eax',
          'enter $16,$2\n leave']:
    F32('S_NONE' if not t.startswith('enter') else 'S_FRAME', t)
for t in ['xlat','addl %ecx,8(%ebx)','cmpxchg8b (%ebx)','lock cmpxchg8b (%ebx)','movsbl -3(%ebx),%edx','pushl (%ebx)','popl 4(%ebx)']:
    F32('S_MEM', t)
F32('S_BOUND', 'bound %eax,(%ebx)')
F32('S_BOUNDW', '.byte 0x66,0x62,0x03')
for op in ['movs','stos','lods','cmps','scas']:
    for sfx in 'bwl':
        F32('S_STR', f'rep {op}{sfx}' if op not in ('cmps','scas') else f'repe {op}{sfx}')
        F32('S_STR', f'{op}{sfx}')
F32('S_POPF', 'popfl')

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'isa_forms.h'), 'w') as f:
    f.write('/* SPDX-License-Identifier: MIT */\n')
    f.write('/* Instruction forms of the ISA differential test (AT&T syntax), one\n')
    f.write(' * row each: FORM(index, setup, text) for 64-bit mode, FORM32 for\n')
    f.write(' * 32-bit compatibility mode. The setup names how random operands are\n')
    f.write(' * constrained (see diff_native.h). Generated by gen_forms.py. */\n')
    f.write('#ifndef FORM32\n#define FORM32(i, s, t)\n#endif\n')
    for i, (s, t) in enumerate(out):
        esc = t.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
        f.write(f'FORM({i}, {s}, "{esc}")\n')
    for i, (s, t) in enumerate(out32):
        esc = t.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
        f.write(f'FORM32({i}, {s}, "{esc}")\n')
    f.write('#undef FORM32\n')
print(len(out), len(out32))
