/* SPDX-License-Identifier: MIT */
/* Differential test of the SSE..SSE4.1 and AVX/AVX2 forms: each form
 * runs natively and in the engine (emu_step over the mock MMU) on random
 * registers, memory and MXCSR modes; everything must match bit for bit.
 * Generated form list: edit the rows, keep one instruction per row.
 * The engine-only cases are in emu_fp_engine_only_test.c. */
#include "emu_fp_harness.h"
#include "emu_fp_sse_vendor.h"
#include "../lib/test.h"

#include "engine/emu/sse.h"

#include <cpuid.h>
#include <xmmintrin.h>

#define SSE_FORMS(X) \
	X(0, FK_F32, "addps %xmm1,%xmm0") \
	X(1, FK_F32, "addps 16(%rbx),%xmm9") \
	X(2, FK_F32, "addss %xmm3,%xmm2") \
	X(3, FK_F32, "addss 4(%rbx),%xmm4") \
	X(4, FK_F64, "addpd %xmm1,%xmm0") \
	X(5, FK_F64, "addpd 32(%rbx),%xmm10") \
	X(6, FK_F64, "addsd %xmm3,%xmm2") \
	X(7, FK_F64, "addsd 8(%rbx),%xmm4") \
	X(8, FK_F32, "subps %xmm1,%xmm0") \
	X(9, FK_F32, "subps 16(%rbx),%xmm9") \
	X(10, FK_F32, "subss %xmm3,%xmm2") \
	X(11, FK_F32, "subss 4(%rbx),%xmm4") \
	X(12, FK_F64, "subpd %xmm1,%xmm0") \
	X(13, FK_F64, "subpd 32(%rbx),%xmm10") \
	X(14, FK_F64, "subsd %xmm3,%xmm2") \
	X(15, FK_F64, "subsd 8(%rbx),%xmm4") \
	X(16, FK_F32, "mulps %xmm1,%xmm0") \
	X(17, FK_F32, "mulps 16(%rbx),%xmm9") \
	X(18, FK_F32, "mulss %xmm3,%xmm2") \
	X(19, FK_F32, "mulss 4(%rbx),%xmm4") \
	X(20, FK_F64, "mulpd %xmm1,%xmm0") \
	X(21, FK_F64, "mulpd 32(%rbx),%xmm10") \
	X(22, FK_F64, "mulsd %xmm3,%xmm2") \
	X(23, FK_F64, "mulsd 8(%rbx),%xmm4") \
	X(24, FK_F32, "divps %xmm1,%xmm0") \
	X(25, FK_F32, "divps 16(%rbx),%xmm9") \
	X(26, FK_F32, "divss %xmm3,%xmm2") \
	X(27, FK_F32, "divss 4(%rbx),%xmm4") \
	X(28, FK_F64, "divpd %xmm1,%xmm0") \
	X(29, FK_F64, "divpd 32(%rbx),%xmm10") \
	X(30, FK_F64, "divsd %xmm3,%xmm2") \
	X(31, FK_F64, "divsd 8(%rbx),%xmm4") \
	X(32, FK_F32, "minps %xmm1,%xmm0") \
	X(33, FK_F32, "minps 16(%rbx),%xmm9") \
	X(34, FK_F32, "minss %xmm3,%xmm2") \
	X(35, FK_F32, "minss 4(%rbx),%xmm4") \
	X(36, FK_F64, "minpd %xmm1,%xmm0") \
	X(37, FK_F64, "minpd 32(%rbx),%xmm10") \
	X(38, FK_F64, "minsd %xmm3,%xmm2") \
	X(39, FK_F64, "minsd 8(%rbx),%xmm4") \
	X(40, FK_F32, "maxps %xmm1,%xmm0") \
	X(41, FK_F32, "maxps 16(%rbx),%xmm9") \
	X(42, FK_F32, "maxss %xmm3,%xmm2") \
	X(43, FK_F32, "maxss 4(%rbx),%xmm4") \
	X(44, FK_F64, "maxpd %xmm1,%xmm0") \
	X(45, FK_F64, "maxpd 32(%rbx),%xmm10") \
	X(46, FK_F64, "maxsd %xmm3,%xmm2") \
	X(47, FK_F64, "maxsd 8(%rbx),%xmm4") \
	X(48, FK_F32, "sqrtps %xmm1,%xmm0") \
	X(49, FK_F32, "sqrtps 16(%rbx),%xmm9") \
	X(50, FK_F32, "sqrtss %xmm3,%xmm2") \
	X(51, FK_F32, "sqrtss 4(%rbx),%xmm4") \
	X(52, FK_F64, "sqrtpd %xmm1,%xmm0") \
	X(53, FK_F64, "sqrtpd 32(%rbx),%xmm10") \
	X(54, FK_F64, "sqrtsd %xmm3,%xmm2") \
	X(55, FK_F64, "sqrtsd 8(%rbx),%xmm4") \
	X(56, FK_F32, "cmpps $0,%xmm1,%xmm0") \
	X(57, FK_F32, "cmpss $0,(%rbx),%xmm2") \
	X(58, FK_F64, "cmppd $0,%xmm1,%xmm0") \
	X(59, FK_F64, "cmpsd $0,(%rbx),%xmm2") \
	X(60, FK_F32, "cmpps $1,%xmm1,%xmm0") \
	X(61, FK_F32, "cmpss $1,(%rbx),%xmm2") \
	X(62, FK_F64, "cmppd $1,%xmm1,%xmm0") \
	X(63, FK_F64, "cmpsd $1,(%rbx),%xmm2") \
	X(64, FK_F32, "cmpps $2,%xmm1,%xmm0") \
	X(65, FK_F32, "cmpss $2,(%rbx),%xmm2") \
	X(66, FK_F64, "cmppd $2,%xmm1,%xmm0") \
	X(67, FK_F64, "cmpsd $2,(%rbx),%xmm2") \
	X(68, FK_F32, "cmpps $3,%xmm1,%xmm0") \
	X(69, FK_F32, "cmpss $3,(%rbx),%xmm2") \
	X(70, FK_F64, "cmppd $3,%xmm1,%xmm0") \
	X(71, FK_F64, "cmpsd $3,(%rbx),%xmm2") \
	X(72, FK_F32, "cmpps $4,%xmm1,%xmm0") \
	X(73, FK_F32, "cmpss $4,(%rbx),%xmm2") \
	X(74, FK_F64, "cmppd $4,%xmm1,%xmm0") \
	X(75, FK_F64, "cmpsd $4,(%rbx),%xmm2") \
	X(76, FK_F32, "cmpps $5,%xmm1,%xmm0") \
	X(77, FK_F32, "cmpss $5,(%rbx),%xmm2") \
	X(78, FK_F64, "cmppd $5,%xmm1,%xmm0") \
	X(79, FK_F64, "cmpsd $5,(%rbx),%xmm2") \
	X(80, FK_F32, "cmpps $6,%xmm1,%xmm0") \
	X(81, FK_F32, "cmpss $6,(%rbx),%xmm2") \
	X(82, FK_F64, "cmppd $6,%xmm1,%xmm0") \
	X(83, FK_F64, "cmpsd $6,(%rbx),%xmm2") \
	X(84, FK_F32, "cmpps $7,%xmm1,%xmm0") \
	X(85, FK_F32, "cmpss $7,(%rbx),%xmm2") \
	X(86, FK_F64, "cmppd $7,%xmm1,%xmm0") \
	X(87, FK_F64, "cmpsd $7,(%rbx),%xmm2") \
	X(88, FK_F32, "comiss %xmm1,%xmm0") \
	X(89, FK_F32, "ucomiss (%rbx),%xmm2") \
	X(90, FK_F32, "cvtss2sd %xmm1,%xmm0") \
	X(91, FK_F32, "cvtps2pd (%rbx),%xmm3") \
	X(92, FK_F32, "cvtps2dq %xmm1,%xmm0") \
	X(93, FK_F32, "cvttps2dq (%rbx),%xmm2") \
	X(94, FK_F32, "cvtss2si %xmm1,%eax") \
	X(95, FK_F32, "cvttss2si (%rbx),%rcx") \
	X(96, FK_F32, "cvtss2si %xmm5,%rdx") \
	X(97, FK_F32, "cvtps2pi %xmm1,%mm0") \
	X(98, FK_F32, "cvttps2pi (%rbx),%mm3") \
	X(99, FK_F32, "andps %xmm1,%xmm0") \
	X(100, FK_F32, "andnps (%rbx),%xmm2") \
	X(101, FK_F32, "orps %xmm3,%xmm4") \
	X(102, FK_F32, "xorps %xmm5,%xmm6") \
	X(103, FK_F32, "movmskps %xmm1,%eax") \
	X(104, FK_F32, "unpcklps %xmm1,%xmm0") \
	X(105, FK_F32, "unpckhps (%rbx),%xmm2") \
	X(106, FK_F32, "shufps $0x1b,%xmm1,%xmm0") \
	X(107, FK_F32, "shufps $0xe4,(%rbx),%xmm3") \
	X(108, FK_F32, "movss %xmm1,%xmm0") \
	X(109, FK_F32, "movss (%rbx),%xmm2") \
	X(110, FK_F32, "movss %xmm3,8(%rbx)") \
	X(111, FK_F32, "movups 4(%rbx),%xmm5") \
	X(112, FK_F32, "movups %xmm6,12(%rbx)") \
	X(113, FK_F32, "movaps (%rbx),%xmm7") \
	X(114, FK_F32, "movaps %xmm8,32(%rbx)") \
	X(115, FK_F32, "movlps 8(%rbx),%xmm1") \
	X(116, FK_F32, "movlps %xmm2,(%rbx)") \
	X(117, FK_F32, "movhps 8(%rbx),%xmm1") \
	X(118, FK_F32, "movhps %xmm2,(%rbx)") \
	X(119, FK_F32, "movhlps %xmm1,%xmm0") \
	X(120, FK_F32, "movlhps %xmm1,%xmm0") \
	X(121, FK_F32, "movntps %xmm3,(%rbx)") \
	X(123, FK_F32, "addsubps %xmm1,%xmm0") \
	X(124, FK_F32, "haddps %xmm1,%xmm0") \
	X(125, FK_F32, "hsubps (%rbx),%xmm2") \
	X(126, FK_F32, "movsldup %xmm1,%xmm0") \
	X(127, FK_F32, "movshdup (%rbx),%xmm2") \
	X(128, FK_F32, "roundps $0,%xmm1,%xmm0") \
	X(129, FK_F32, "roundps $9,(%rbx),%xmm2") \
	X(130, FK_F32, "roundss $4,%xmm1,%xmm0") \
	X(133, FK_F32, "blendps $5,%xmm1,%xmm0") \
	X(134, FK_F32, "blendvps %xmm0,%xmm1,%xmm2") \
	X(135, FK_F32, "insertps $0x5c,%xmm1,%xmm0") \
	X(136, FK_F32, "insertps $0x20,(%rbx),%xmm2") \
	X(137, FK_F32, "extractps $2,%xmm1,%eax") \
	X(138, FK_F32, "extractps $1,%xmm1,(%rbx)") \
	X(139, FK_F32, "cvtpi2ps %mm1,%xmm0") \
	X(140, FK_F32, "cvtpi2ps (%rbx),%xmm2") \
	X(141, FK_F64, "comisd %xmm1,%xmm0") \
	X(142, FK_F64, "ucomisd (%rbx),%xmm2") \
	X(143, FK_F64, "cvtsd2ss %xmm1,%xmm0") \
	X(144, FK_F64, "cvtpd2ps (%rbx),%xmm3") \
	X(145, FK_F64, "cvtpd2dq %xmm1,%xmm0") \
	X(146, FK_F64, "cvttpd2dq (%rbx),%xmm2") \
	X(147, FK_F64, "cvtsd2si %xmm1,%eax") \
	X(148, FK_F64, "cvttsd2si (%rbx),%rcx") \
	X(149, FK_F64, "cvtsd2si %xmm5,%rdx") \
	X(150, FK_F64, "cvtpd2pi %xmm1,%mm0") \
	X(151, FK_F64, "cvttpd2pi (%rbx),%mm3") \
	X(152, FK_F64, "andpd %xmm1,%xmm0") \
	X(153, FK_F64, "andnpd (%rbx),%xmm2") \
	X(154, FK_F64, "orpd %xmm3,%xmm4") \
	X(155, FK_F64, "xorpd %xmm5,%xmm6") \
	X(156, FK_F64, "movmskpd %xmm1,%ecx") \
	X(157, FK_F64, "unpcklpd %xmm1,%xmm0") \
	X(158, FK_F64, "unpckhpd (%rbx),%xmm2") \
	X(159, FK_F64, "shufpd $1,%xmm1,%xmm0") \
	X(160, FK_F64, "shufpd $2,(%rbx),%xmm3") \
	X(161, FK_F64, "movsd %xmm1,%xmm0") \
	X(162, FK_F64, "movsd (%rbx),%xmm2") \
	X(163, FK_F64, "movsd %xmm3,8(%rbx)") \
	X(164, FK_F64, "movupd 4(%rbx),%xmm5") \
	X(165, FK_F64, "movapd %xmm8,32(%rbx)") \
	X(166, FK_F64, "movlpd 8(%rbx),%xmm1") \
	X(167, FK_F64, "movhpd %xmm2,(%rbx)") \
	X(168, FK_F64, "movddup %xmm1,%xmm0") \
	X(169, FK_F64, "movddup 8(%rbx),%xmm2") \
	X(170, FK_F64, "addsubpd %xmm1,%xmm0") \
	X(171, FK_F64, "haddpd %xmm1,%xmm0") \
	X(172, FK_F64, "hsubpd (%rbx),%xmm2") \
	X(173, FK_F64, "roundpd $1,%xmm1,%xmm0") \
	X(174, FK_F64, "roundsd $2,(%rbx),%xmm2") \
	X(175, FK_F64, "roundsd $12,%xmm1,%xmm0") \
	X(176, FK_F64, "dppd $0x31,%xmm1,%xmm0") \
	X(177, FK_F64, "blendpd $1,%xmm1,%xmm0") \
	X(178, FK_F64, "blendvpd %xmm0,(%rbx),%xmm2") \
	X(179, FK_F64, "cvtdq2pd %xmm1,%xmm0") \
	X(180, FK_F64, "cvtdq2ps %xmm1,%xmm0") \
	X(181, FK_F64, "cvtsi2sd %rax,%xmm0") \
	X(182, FK_F64, "cvtsi2sdl (%rbx),%xmm1") \
	X(183, FK_F64, "cvtsi2ss %rcx,%xmm2") \
	X(184, FK_F64, "cvtsi2ssl %edx,%xmm3") \
	X(185, FK_F64, "cvtpi2pd %mm1,%xmm0") \
	X(186, FK_INT, "paddb %xmm1,%xmm0") \
	X(187, FK_INT, "paddb 16(%rbx),%xmm2") \
	X(188, FK_INT, "paddb %mm1,%mm0") \
	X(189, FK_INT, "paddw %xmm1,%xmm0") \
	X(190, FK_INT, "paddw 16(%rbx),%xmm2") \
	X(191, FK_INT, "paddw %mm1,%mm0") \
	X(192, FK_INT, "paddd %xmm1,%xmm0") \
	X(193, FK_INT, "paddd 16(%rbx),%xmm2") \
	X(194, FK_INT, "paddd %mm1,%mm0") \
	X(195, FK_INT, "paddq %xmm1,%xmm0") \
	X(196, FK_INT, "paddq 16(%rbx),%xmm2") \
	X(197, FK_INT, "paddq %mm1,%mm0") \
	X(198, FK_INT, "psubb %xmm1,%xmm0") \
	X(199, FK_INT, "psubb 16(%rbx),%xmm2") \
	X(200, FK_INT, "psubb %mm1,%mm0") \
	X(201, FK_INT, "psubw %xmm1,%xmm0") \
	X(202, FK_INT, "psubw 16(%rbx),%xmm2") \
	X(203, FK_INT, "psubw %mm1,%mm0") \
	X(204, FK_INT, "psubd %xmm1,%xmm0") \
	X(205, FK_INT, "psubd 16(%rbx),%xmm2") \
	X(206, FK_INT, "psubd %mm1,%mm0") \
	X(207, FK_INT, "psubq %xmm1,%xmm0") \
	X(208, FK_INT, "psubq 16(%rbx),%xmm2") \
	X(209, FK_INT, "psubq %mm1,%mm0") \
	X(210, FK_INT, "paddsb %xmm1,%xmm0") \
	X(211, FK_INT, "paddsb 16(%rbx),%xmm2") \
	X(212, FK_INT, "paddsb %mm1,%mm0") \
	X(213, FK_INT, "paddsw %xmm1,%xmm0") \
	X(214, FK_INT, "paddsw 16(%rbx),%xmm2") \
	X(215, FK_INT, "paddsw %mm1,%mm0") \
	X(216, FK_INT, "psubsb %xmm1,%xmm0") \
	X(217, FK_INT, "psubsb 16(%rbx),%xmm2") \
	X(218, FK_INT, "psubsb %mm1,%mm0") \
	X(219, FK_INT, "psubsw %xmm1,%xmm0") \
	X(220, FK_INT, "psubsw 16(%rbx),%xmm2") \
	X(221, FK_INT, "psubsw %mm1,%mm0") \
	X(222, FK_INT, "paddusb %xmm1,%xmm0") \
	X(223, FK_INT, "paddusb 16(%rbx),%xmm2") \
	X(224, FK_INT, "paddusb %mm1,%mm0") \
	X(225, FK_INT, "paddusw %xmm1,%xmm0") \
	X(226, FK_INT, "paddusw 16(%rbx),%xmm2") \
	X(227, FK_INT, "paddusw %mm1,%mm0") \
	X(228, FK_INT, "psubusb %xmm1,%xmm0") \
	X(229, FK_INT, "psubusb 16(%rbx),%xmm2") \
	X(230, FK_INT, "psubusb %mm1,%mm0") \
	X(231, FK_INT, "psubusw %xmm1,%xmm0") \
	X(232, FK_INT, "psubusw 16(%rbx),%xmm2") \
	X(233, FK_INT, "psubusw %mm1,%mm0") \
	X(234, FK_INT, "pcmpeqb %xmm1,%xmm0") \
	X(235, FK_INT, "pcmpeqb 16(%rbx),%xmm2") \
	X(236, FK_INT, "pcmpeqb %mm1,%mm0") \
	X(237, FK_INT, "pcmpeqw %xmm1,%xmm0") \
	X(238, FK_INT, "pcmpeqw 16(%rbx),%xmm2") \
	X(239, FK_INT, "pcmpeqw %mm1,%mm0") \
	X(240, FK_INT, "pcmpeqd %xmm1,%xmm0") \
	X(241, FK_INT, "pcmpeqd 16(%rbx),%xmm2") \
	X(242, FK_INT, "pcmpeqd %mm1,%mm0") \
	X(243, FK_INT, "pcmpgtb %xmm1,%xmm0") \
	X(244, FK_INT, "pcmpgtb 16(%rbx),%xmm2") \
	X(245, FK_INT, "pcmpgtb %mm1,%mm0") \
	X(246, FK_INT, "pcmpgtw %xmm1,%xmm0") \
	X(247, FK_INT, "pcmpgtw 16(%rbx),%xmm2") \
	X(248, FK_INT, "pcmpgtw %mm1,%mm0") \
	X(249, FK_INT, "pcmpgtd %xmm1,%xmm0") \
	X(250, FK_INT, "pcmpgtd 16(%rbx),%xmm2") \
	X(251, FK_INT, "pcmpgtd %mm1,%mm0") \
	X(252, FK_INT, "pmullw %xmm1,%xmm0") \
	X(253, FK_INT, "pmullw 16(%rbx),%xmm2") \
	X(254, FK_INT, "pmullw %mm1,%mm0") \
	X(255, FK_INT, "pmulhw %xmm1,%xmm0") \
	X(256, FK_INT, "pmulhw 16(%rbx),%xmm2") \
	X(257, FK_INT, "pmulhw %mm1,%mm0") \
	X(258, FK_INT, "pmulhuw %xmm1,%xmm0") \
	X(259, FK_INT, "pmulhuw 16(%rbx),%xmm2") \
	X(260, FK_INT, "pmulhuw %mm1,%mm0") \
	X(261, FK_INT, "pmuludq %xmm1,%xmm0") \
	X(262, FK_INT, "pmuludq 16(%rbx),%xmm2") \
	X(263, FK_INT, "pmuludq %mm1,%mm0") \
	X(264, FK_INT, "pmaddwd %xmm1,%xmm0") \
	X(265, FK_INT, "pmaddwd 16(%rbx),%xmm2") \
	X(266, FK_INT, "pmaddwd %mm1,%mm0") \
	X(267, FK_INT, "psadbw %xmm1,%xmm0") \
	X(268, FK_INT, "psadbw 16(%rbx),%xmm2") \
	X(269, FK_INT, "psadbw %mm1,%mm0") \
	X(270, FK_INT, "pavgb %xmm1,%xmm0") \
	X(271, FK_INT, "pavgb 16(%rbx),%xmm2") \
	X(272, FK_INT, "pavgb %mm1,%mm0") \
	X(273, FK_INT, "pavgw %xmm1,%xmm0") \
	X(274, FK_INT, "pavgw 16(%rbx),%xmm2") \
	X(275, FK_INT, "pavgw %mm1,%mm0") \
	X(276, FK_INT, "pminub %xmm1,%xmm0") \
	X(277, FK_INT, "pminub 16(%rbx),%xmm2") \
	X(278, FK_INT, "pminub %mm1,%mm0") \
	X(279, FK_INT, "pmaxub %xmm1,%xmm0") \
	X(280, FK_INT, "pmaxub 16(%rbx),%xmm2") \
	X(281, FK_INT, "pmaxub %mm1,%mm0") \
	X(282, FK_INT, "pminsw %xmm1,%xmm0") \
	X(283, FK_INT, "pminsw 16(%rbx),%xmm2") \
	X(284, FK_INT, "pminsw %mm1,%mm0") \
	X(285, FK_INT, "pmaxsw %xmm1,%xmm0") \
	X(286, FK_INT, "pmaxsw 16(%rbx),%xmm2") \
	X(287, FK_INT, "pmaxsw %mm1,%mm0") \
	X(288, FK_INT, "pand %xmm1,%xmm0") \
	X(289, FK_INT, "pand 16(%rbx),%xmm2") \
	X(290, FK_INT, "pand %mm1,%mm0") \
	X(291, FK_INT, "pandn %xmm1,%xmm0") \
	X(292, FK_INT, "pandn 16(%rbx),%xmm2") \
	X(293, FK_INT, "pandn %mm1,%mm0") \
	X(294, FK_INT, "por %xmm1,%xmm0") \
	X(295, FK_INT, "por 16(%rbx),%xmm2") \
	X(296, FK_INT, "por %mm1,%mm0") \
	X(297, FK_INT, "pxor %xmm1,%xmm0") \
	X(298, FK_INT, "pxor 16(%rbx),%xmm2") \
	X(299, FK_INT, "pxor %mm1,%mm0") \
	X(300, FK_INT, "punpcklbw %xmm1,%xmm0") \
	X(301, FK_INT, "punpcklbw 16(%rbx),%xmm2") \
	X(302, FK_INT, "punpcklbw %mm1,%mm0") \
	X(303, FK_INT, "punpcklwd %xmm1,%xmm0") \
	X(304, FK_INT, "punpcklwd 16(%rbx),%xmm2") \
	X(305, FK_INT, "punpcklwd %mm1,%mm0") \
	X(306, FK_INT, "punpckldq %xmm1,%xmm0") \
	X(307, FK_INT, "punpckldq 16(%rbx),%xmm2") \
	X(308, FK_INT, "punpckldq %mm1,%mm0") \
	X(309, FK_INT, "punpckhbw %xmm1,%xmm0") \
	X(310, FK_INT, "punpckhbw 16(%rbx),%xmm2") \
	X(311, FK_INT, "punpckhbw %mm1,%mm0") \
	X(312, FK_INT, "punpckhwd %xmm1,%xmm0") \
	X(313, FK_INT, "punpckhwd 16(%rbx),%xmm2") \
	X(314, FK_INT, "punpckhwd %mm1,%mm0") \
	X(315, FK_INT, "punpckhdq %xmm1,%xmm0") \
	X(316, FK_INT, "punpckhdq 16(%rbx),%xmm2") \
	X(317, FK_INT, "punpckhdq %mm1,%mm0") \
	X(318, FK_INT, "packsswb %xmm1,%xmm0") \
	X(319, FK_INT, "packsswb 16(%rbx),%xmm2") \
	X(320, FK_INT, "packsswb %mm1,%mm0") \
	X(321, FK_INT, "packuswb %xmm1,%xmm0") \
	X(322, FK_INT, "packuswb 16(%rbx),%xmm2") \
	X(323, FK_INT, "packuswb %mm1,%mm0") \
	X(324, FK_INT, "packssdw %xmm1,%xmm0") \
	X(325, FK_INT, "packssdw 16(%rbx),%xmm2") \
	X(326, FK_INT, "packssdw %mm1,%mm0") \
	X(327, FK_INT, "psrlw %xmm1,%xmm0") \
	X(328, FK_INT, "psrlw 16(%rbx),%xmm2") \
	X(329, FK_INT, "psrlw %mm1,%mm0") \
	X(330, FK_INT, "psrld %xmm1,%xmm0") \
	X(331, FK_INT, "psrld 16(%rbx),%xmm2") \
	X(332, FK_INT, "psrld %mm1,%mm0") \
	X(333, FK_INT, "psrlq %xmm1,%xmm0") \
	X(334, FK_INT, "psrlq 16(%rbx),%xmm2") \
	X(335, FK_INT, "psrlq %mm1,%mm0") \
	X(336, FK_INT, "psraw %xmm1,%xmm0") \
	X(337, FK_INT, "psraw 16(%rbx),%xmm2") \
	X(338, FK_INT, "psraw %mm1,%mm0") \
	X(339, FK_INT, "psrad %xmm1,%xmm0") \
	X(340, FK_INT, "psrad 16(%rbx),%xmm2") \
	X(341, FK_INT, "psrad %mm1,%mm0") \
	X(342, FK_INT, "psllw %xmm1,%xmm0") \
	X(343, FK_INT, "psllw 16(%rbx),%xmm2") \
	X(344, FK_INT, "psllw %mm1,%mm0") \
	X(345, FK_INT, "pslld %xmm1,%xmm0") \
	X(346, FK_INT, "pslld 16(%rbx),%xmm2") \
	X(347, FK_INT, "pslld %mm1,%mm0") \
	X(348, FK_INT, "psllq %xmm1,%xmm0") \
	X(349, FK_INT, "psllq 16(%rbx),%xmm2") \
	X(350, FK_INT, "psllq %mm1,%mm0") \
	X(351, FK_INT, "pshufb %xmm1,%xmm0") \
	X(352, FK_INT, "pshufb 16(%rbx),%xmm2") \
	X(353, FK_INT, "pshufb %mm1,%mm0") \
	X(354, FK_INT, "phaddw %xmm1,%xmm0") \
	X(355, FK_INT, "phaddw 16(%rbx),%xmm2") \
	X(356, FK_INT, "phaddw %mm1,%mm0") \
	X(357, FK_INT, "phaddd %xmm1,%xmm0") \
	X(358, FK_INT, "phaddd 16(%rbx),%xmm2") \
	X(359, FK_INT, "phaddd %mm1,%mm0") \
	X(360, FK_INT, "phaddsw %xmm1,%xmm0") \
	X(361, FK_INT, "phaddsw 16(%rbx),%xmm2") \
	X(362, FK_INT, "phaddsw %mm1,%mm0") \
	X(363, FK_INT, "phsubw %xmm1,%xmm0") \
	X(364, FK_INT, "phsubw 16(%rbx),%xmm2") \
	X(365, FK_INT, "phsubw %mm1,%mm0") \
	X(366, FK_INT, "phsubd %xmm1,%xmm0") \
	X(367, FK_INT, "phsubd 16(%rbx),%xmm2") \
	X(368, FK_INT, "phsubd %mm1,%mm0") \
	X(369, FK_INT, "phsubsw %xmm1,%xmm0") \
	X(370, FK_INT, "phsubsw 16(%rbx),%xmm2") \
	X(371, FK_INT, "phsubsw %mm1,%mm0") \
	X(372, FK_INT, "pmaddubsw %xmm1,%xmm0") \
	X(373, FK_INT, "pmaddubsw 16(%rbx),%xmm2") \
	X(374, FK_INT, "pmaddubsw %mm1,%mm0") \
	X(375, FK_INT, "psignb %xmm1,%xmm0") \
	X(376, FK_INT, "psignb 16(%rbx),%xmm2") \
	X(377, FK_INT, "psignb %mm1,%mm0") \
	X(378, FK_INT, "psignw %xmm1,%xmm0") \
	X(379, FK_INT, "psignw 16(%rbx),%xmm2") \
	X(380, FK_INT, "psignw %mm1,%mm0") \
	X(381, FK_INT, "psignd %xmm1,%xmm0") \
	X(382, FK_INT, "psignd 16(%rbx),%xmm2") \
	X(383, FK_INT, "psignd %mm1,%mm0") \
	X(384, FK_INT, "pmulhrsw %xmm1,%xmm0") \
	X(385, FK_INT, "pmulhrsw 16(%rbx),%xmm2") \
	X(386, FK_INT, "pmulhrsw %mm1,%mm0") \
	X(387, FK_INT, "pabsb %xmm1,%xmm0") \
	X(388, FK_INT, "pabsb 16(%rbx),%xmm2") \
	X(389, FK_INT, "pabsb %mm1,%mm0") \
	X(390, FK_INT, "pabsw %xmm1,%xmm0") \
	X(391, FK_INT, "pabsw 16(%rbx),%xmm2") \
	X(392, FK_INT, "pabsw %mm1,%mm0") \
	X(393, FK_INT, "pabsd %xmm1,%xmm0") \
	X(394, FK_INT, "pabsd 16(%rbx),%xmm2") \
	X(395, FK_INT, "pabsd %mm1,%mm0") \
	X(396, FK_INT, "punpcklqdq %xmm1,%xmm0") \
	X(397, FK_INT, "punpcklqdq 16(%rbx),%xmm2") \
	X(398, FK_INT, "punpckhqdq %xmm1,%xmm0") \
	X(399, FK_INT, "punpckhqdq 16(%rbx),%xmm2") \
	X(400, FK_INT, "pmuldq %xmm1,%xmm0") \
	X(401, FK_INT, "pmuldq 16(%rbx),%xmm2") \
	X(402, FK_INT, "pcmpeqq %xmm1,%xmm0") \
	X(403, FK_INT, "pcmpeqq 16(%rbx),%xmm2") \
	X(404, FK_INT, "packusdw %xmm1,%xmm0") \
	X(405, FK_INT, "packusdw 16(%rbx),%xmm2") \
	X(406, FK_INT, "pcmpgtq %xmm1,%xmm0") \
	X(407, FK_INT, "pcmpgtq 16(%rbx),%xmm2") \
	X(408, FK_INT, "pminsb %xmm1,%xmm0") \
	X(409, FK_INT, "pminsb 16(%rbx),%xmm2") \
	X(410, FK_INT, "pminsd %xmm1,%xmm0") \
	X(411, FK_INT, "pminsd 16(%rbx),%xmm2") \
	X(412, FK_INT, "pminuw %xmm1,%xmm0") \
	X(413, FK_INT, "pminuw 16(%rbx),%xmm2") \
	X(414, FK_INT, "pminud %xmm1,%xmm0") \
	X(415, FK_INT, "pminud 16(%rbx),%xmm2") \
	X(416, FK_INT, "pmaxsb %xmm1,%xmm0") \
	X(417, FK_INT, "pmaxsb 16(%rbx),%xmm2") \
	X(418, FK_INT, "pmaxsd %xmm1,%xmm0") \
	X(419, FK_INT, "pmaxsd 16(%rbx),%xmm2") \
	X(420, FK_INT, "pmaxuw %xmm1,%xmm0") \
	X(421, FK_INT, "pmaxuw 16(%rbx),%xmm2") \
	X(422, FK_INT, "pmaxud %xmm1,%xmm0") \
	X(423, FK_INT, "pmaxud 16(%rbx),%xmm2") \
	X(424, FK_INT, "pmulld %xmm1,%xmm0") \
	X(425, FK_INT, "pmulld 16(%rbx),%xmm2") \
	X(426, FK_INT, "phminposuw %xmm1,%xmm0") \
	X(427, FK_INT, "phminposuw 16(%rbx),%xmm2") \
	X(428, FK_INT, "pmovsxbw %xmm1,%xmm0") \
	X(429, FK_INT, "pmovsxbw 16(%rbx),%xmm2") \
	X(430, FK_INT, "pmovsxbd %xmm1,%xmm0") \
	X(431, FK_INT, "pmovsxbd 16(%rbx),%xmm2") \
	X(432, FK_INT, "pmovsxbq %xmm1,%xmm0") \
	X(433, FK_INT, "pmovsxbq 16(%rbx),%xmm2") \
	X(434, FK_INT, "pmovsxwd %xmm1,%xmm0") \
	X(435, FK_INT, "pmovsxwd 16(%rbx),%xmm2") \
	X(436, FK_INT, "pmovsxwq %xmm1,%xmm0") \
	X(437, FK_INT, "pmovsxwq 16(%rbx),%xmm2") \
	X(438, FK_INT, "pmovsxdq %xmm1,%xmm0") \
	X(439, FK_INT, "pmovsxdq 16(%rbx),%xmm2") \
	X(440, FK_INT, "pmovzxbw %xmm1,%xmm0") \
	X(441, FK_INT, "pmovzxbw 16(%rbx),%xmm2") \
	X(442, FK_INT, "pmovzxbd %xmm1,%xmm0") \
	X(443, FK_INT, "pmovzxbd 16(%rbx),%xmm2") \
	X(444, FK_INT, "pmovzxbq %xmm1,%xmm0") \
	X(445, FK_INT, "pmovzxbq 16(%rbx),%xmm2") \
	X(446, FK_INT, "pmovzxwd %xmm1,%xmm0") \
	X(447, FK_INT, "pmovzxwd 16(%rbx),%xmm2") \
	X(448, FK_INT, "pmovzxwq %xmm1,%xmm0") \
	X(449, FK_INT, "pmovzxwq 16(%rbx),%xmm2") \
	X(450, FK_INT, "pmovzxdq %xmm1,%xmm0") \
	X(451, FK_INT, "pmovzxdq 16(%rbx),%xmm2") \
	X(452, FK_INT, "pmovsxbq (%rbx),%xmm3") \
	X(453, FK_INT, "pmovzxdq 8(%rbx),%xmm3") \
	X(454, FK_INT, "ptest %xmm1,%xmm0") \
	X(455, FK_INT, "ptest (%rbx),%xmm2") \
	X(456, FK_INT, "pblendvb %xmm0,%xmm1,%xmm2") \
	X(457, FK_INT, "pblendw $0x5a,%xmm1,%xmm0") \
	X(458, FK_INT, "mpsadbw $5,%xmm1,%xmm0") \
	X(459, FK_INT, "mpsadbw $2,(%rbx),%xmm2") \
	X(460, FK_INT, "palignr $3,%xmm1,%xmm0") \
	X(461, FK_INT, "palignr $17,(%rbx),%xmm2") \
	X(462, FK_INT, "palignr $5,%mm1,%mm0") \
	X(463, FK_INT, "psrlw $3,%xmm1") \
	X(464, FK_INT, "psraw $15,%xmm2") \
	X(465, FK_INT, "psllw $17,%xmm3") \
	X(466, FK_INT, "psrld $7,%xmm4") \
	X(467, FK_INT, "psrad $31,%xmm5") \
	X(468, FK_INT, "pslld $1,%xmm6") \
	X(469, FK_INT, "psrlq $33,%xmm7") \
	X(470, FK_INT, "psllq $63,%xmm8") \
	X(471, FK_INT, "psrldq $3,%xmm9") \
	X(472, FK_INT, "pslldq $15,%xmm10") \
	X(473, FK_INT, "psrlw $4,%mm1") \
	X(474, FK_INT, "psllq $8,%mm2") \
	X(475, FK_INT, "pshufd $0x1b,%xmm1,%xmm0") \
	X(476, FK_INT, "pshufhw $0x4e,(%rbx),%xmm2") \
	X(477, FK_INT, "pshuflw $0xb1,%xmm1,%xmm3") \
	X(478, FK_INT, "pshufw $0x93,%mm1,%mm0") \
	X(479, FK_INT, "movd %eax,%xmm0") \
	X(480, FK_INT, "movq %rcx,%xmm1") \
	X(481, FK_INT, "movd (%rbx),%xmm2") \
	X(482, FK_INT, "movd %xmm3,%eax") \
	X(483, FK_INT, "movq %xmm4,%rdx") \
	X(484, FK_INT, "movd %xmm5,8(%rbx)") \
	X(485, FK_INT, "movq (%rbx),%xmm6") \
	X(486, FK_INT, "movq %xmm7,(%rbx)") \
	X(487, FK_INT, "movq %xmm8,%xmm9") \
	X(488, FK_INT, "movd %eax,%mm0") \
	X(489, FK_INT, "movq %rcx,%mm1") \
	X(490, FK_INT, "movd %mm2,%esi") \
	X(491, FK_INT, "movq (%rbx),%mm3") \
	X(492, FK_INT, "movq %mm4,(%rbx)") \
	X(493, FK_INT, "movq %mm1,%mm5") \
	X(494, FK_INT, "movq2dq %mm1,%xmm0") \
	X(495, FK_INT, "movdq2q %xmm1,%mm0") \
	X(496, FK_INT, "movdqa (%rbx),%xmm0") \
	X(497, FK_INT, "movdqu 3(%rbx),%xmm1") \
	X(498, FK_INT, "movdqa %xmm2,16(%rbx)") \
	X(499, FK_INT, "movdqu %xmm3,5(%rbx)") \
	X(500, FK_INT, "lddqu 7(%rbx),%xmm4") \
	X(501, FK_INT, "movntdq %xmm5,(%rbx)") \
	X(502, FK_INT, "movntdqa 16(%rbx),%xmm6") \
	X(503, FK_INT, "movntq %mm1,(%rbx)") \
	X(504, FK_INT, "pinsrw $3,%eax,%xmm0") \
	X(505, FK_INT, "pinsrw $9,(%rbx),%xmm1") \
	X(506, FK_INT, "pextrw $5,%xmm2,%ecx") \
	X(507, FK_INT, "pinsrw $2,%edx,%mm0") \
	X(508, FK_INT, "pextrw $1,%mm1,%eax") \
	X(509, FK_INT, "pextrb $9,%xmm1,%eax") \
	X(510, FK_INT, "pextrb $3,%xmm1,(%rbx)") \
	X(511, FK_INT, "pextrw $7,%xmm1,2(%rbx)") \
	X(512, FK_INT, "pextrd $2,%xmm1,%ecx") \
	X(513, FK_INT, "pextrq $1,%xmm1,%rdx") \
	X(514, FK_INT, "pinsrb $5,%eax,%xmm0") \
	X(515, FK_INT, "pinsrd $3,(%rbx),%xmm1") \
	X(516, FK_INT, "pinsrq $1,%rcx,%xmm2") \
	X(517, FK_INT, "pmovmskb %xmm1,%eax") \
	X(518, FK_INT, "pmovmskb %mm1,%ecx") \
	X(519, FK_INT, "emms") \
	X(520, FK_INT, "maskmovdqu %xmm1,%xmm0") \
	X(521, FK_INT, "maskmovq %mm1,%mm0") \
	X(522, FK_F32, "vaddps %ymm1,%ymm2,%ymm0") \
	X(523, FK_F32, "vaddps (%rbx),%ymm2,%ymm3") \
	X(524, FK_F32, "vmulps %xmm1,%xmm2,%xmm4") \
	X(525, FK_F32, "vaddss %xmm1,%xmm2,%xmm5") \
	X(526, FK_F32, "vsqrtps %ymm1,%ymm6") \
	X(527, FK_F32, "vdivss (%rbx),%xmm2,%xmm7") \
	X(528, FK_F32, "vcmpps $13,%ymm1,%ymm2,%ymm0") \
	X(529, FK_F32, "vcmpss $25,%xmm1,%xmm2,%xmm0") \
	X(530, FK_F32, "vmovaps (%rbx),%ymm0") \
	X(531, FK_F32, "vmovups %ymm1,8(%rbx)") \
	X(532, FK_F32, "vmovss (%rbx),%xmm1") \
	X(533, FK_F32, "vmovss %xmm1,%xmm2,%xmm3") \
	X(534, FK_F32, "vshufps $0x39,%ymm1,%ymm2,%ymm0") \
	X(535, FK_F32, "vunpcklps %ymm1,%ymm2,%ymm3") \
	X(536, FK_F32, "vandps %ymm1,%ymm2,%ymm0") \
	X(537, FK_F32, "vcvtps2pd %xmm1,%ymm0") \
	X(538, FK_F32, "vcvtpd2ps %ymm1,%xmm0") \
	X(539, FK_F32, "vcvtdq2ps %ymm1,%ymm0") \
	X(540, FK_F32, "vcvttps2dq %ymm1,%ymm0") \
	X(541, FK_F32, "vhaddps %ymm1,%ymm2,%ymm0") \
	X(542, FK_F32, "vroundps $2,%ymm1,%ymm0") \
	X(544, FK_F32, "vblendps $0xa5,%ymm1,%ymm2,%ymm0") \
	X(545, FK_F32, "vminps %ymm1,%ymm2,%ymm0") \
	X(546, FK_F32, "vmovmskps %ymm1,%eax") \
	X(547, FK_F32, "vcomiss %xmm1,%xmm0") \
	X(548, FK_F32, "vcvtss2si %xmm1,%rax") \
	X(549, FK_F32, "vcvtsi2ss %rax,%xmm1,%xmm2") \
	X(550, FK_F32, "vmovsldup %ymm1,%ymm0") \
	X(551, FK_F32, "vxorps %ymm1,%ymm2,%ymm0") \
	X(552, FK_F64, "vaddpd %ymm1,%ymm2,%ymm0") \
	X(553, FK_F64, "vsubsd (%rbx),%xmm2,%xmm3") \
	X(554, FK_F64, "vmaxpd %ymm1,%ymm2,%ymm0") \
	X(555, FK_F64, "vmovddup %ymm1,%ymm0") \
	X(556, FK_F64, "vmovddup (%rbx),%ymm2") \
	X(557, FK_F64, "vcvtpd2dq %ymm1,%xmm0") \
	X(558, FK_F64, "vcvtdq2pd %xmm1,%ymm0") \
	X(559, FK_F64, "vaddsubpd %ymm1,%ymm2,%ymm0") \
	X(560, FK_F64, "vshufpd $5,%ymm1,%ymm2,%ymm0") \
	X(561, FK_F64, "vmovapd %ymm1,(%rbx)") \
	X(562, FK_INT, "vpaddb %ymm1,%ymm2,%ymm0") \
	X(563, FK_INT, "vpaddd (%rbx),%ymm2,%ymm3") \
	X(564, FK_INT, "vpmullw %ymm1,%ymm2,%ymm0") \
	X(565, FK_INT, "vpshufb %ymm1,%ymm2,%ymm0") \
	X(566, FK_INT, "vpunpcklbw %ymm1,%ymm2,%ymm0") \
	X(567, FK_INT, "vpackssdw %ymm1,%ymm2,%ymm0") \
	X(568, FK_INT, "vpsrlw $3,%ymm1,%ymm0") \
	X(569, FK_INT, "vpslldq $5,%ymm1,%ymm0") \
	X(570, FK_INT, "vpsrad %xmm1,%ymm2,%ymm0") \
	X(571, FK_INT, "vpshufd $0x1b,%ymm1,%ymm0") \
	X(572, FK_INT, "vpalignr $7,%ymm1,%ymm2,%ymm0") \
	X(573, FK_INT, "vpmovmskb %ymm1,%eax") \
	X(574, FK_INT, "vptest %ymm1,%ymm0") \
	X(575, FK_INT, "vpmovsxbw %xmm1,%ymm0") \
	X(576, FK_INT, "vpmovzxdq (%rbx),%ymm0") \
	X(577, FK_INT, "vpminsd %ymm1,%ymm2,%ymm0") \
	X(578, FK_INT, "vmovdqu %ymm1,3(%rbx)") \
	X(579, FK_INT, "vmovdqa (%rbx),%ymm3") \
	X(580, FK_INT, "vmovd %eax,%xmm0") \
	X(581, FK_INT, "vmovq %xmm1,%rax") \
	X(582, FK_INT, "vpblendw $0x33,%ymm1,%ymm2,%ymm0") \
	X(583, FK_INT, "vmpsadbw $0x2d,%ymm1,%ymm2,%ymm0") \
	X(584, FK_INT, "vpabsw %ymm1,%ymm0") \
	X(585, FK_INT, "vphaddd %ymm1,%ymm2,%ymm0") \
	X(586, FK_INT, "vpsadbw %ymm1,%ymm2,%ymm0") \
	X(587, FK_INT, "vpcmpgtq %ymm1,%ymm2,%ymm0") \
	X(588, FK_INT, "vpextrb $5,%xmm1,%eax") \
	X(589, FK_INT, "vpinsrq $1,%rax,%xmm1,%xmm0") \
	X(590, FK_INT, "vmovq (%rbx),%xmm3") \
	X(591, FK_INT, "vpxor %xmm1,%xmm2,%xmm0") \
	X(592, FK_INT, "vzeroupper") \
	X(593, FK_INT, "vzeroall") \
	X(594, FK_F32, "rcpps %xmm1,%xmm0") \
	X(595, FK_F32, "rcpps 16(%rbx),%xmm2") \
	X(596, FK_F32, "rcpss %xmm3,%xmm2") \
	X(597, FK_F32, "rcpss 4(%rbx),%xmm4") \
	X(598, FK_F32, "rsqrtps %xmm1,%xmm0") \
	X(599, FK_F32, "rsqrtps 16(%rbx),%xmm2") \
	X(600, FK_F32, "rsqrtss %xmm3,%xmm2") \
	X(601, FK_F32, "rsqrtss 4(%rbx),%xmm4") \
	X(602, FK_F32, "vrcpps %ymm1,%ymm0") \
	X(603, FK_F32, "vrcpps 32(%rbx),%ymm2") \
	X(604, FK_F32, "vrcpps %xmm1,%xmm3") \
	X(605, FK_F32, "vrcpps 3(%rbx),%xmm4") \
	X(606, FK_F32, "vrcpss %xmm1,%xmm2,%xmm0") \
	X(607, FK_F32, "vrcpss 8(%rbx),%xmm2,%xmm3") \
	X(608, FK_F32, "vrsqrtps %ymm1,%ymm0") \
	X(609, FK_F32, "vrsqrtps 32(%rbx),%ymm2") \
	X(610, FK_F32, "vrsqrtps %xmm1,%xmm3") \
	X(611, FK_F32, "vrsqrtps 5(%rbx),%xmm4") \
	X(612, FK_F32, "vrsqrtss %xmm1,%xmm2,%xmm0") \
	X(613, FK_F32, "vrsqrtss 8(%rbx),%xmm2,%xmm3") \
	X(614, FK_F32, "dpps $0xff,%xmm1,%xmm0") \
	X(615, FK_F32, "dpps $0x71,16(%rbx),%xmm2") \
	X(616, FK_F32, "dpps $0xb3,%xmm1,%xmm0") \
	X(617, FK_F32, "dpps $0x5c,%xmm1,%xmm0") \
	X(618, FK_F32, "dpps $0xea,%xmm1,%xmm0") \
	X(619, FK_F32, "dpps $0x3f,%xmm1,%xmm0") \
	X(620, FK_F32, "vdpps $0xff,%xmm1,%xmm2,%xmm0") \
	X(621, FK_F32, "vdpps $0xd5,(%rbx),%xmm2,%xmm3") \
	X(622, FK_F32, "vdpps $0xf1,%ymm1,%ymm2,%ymm0") \
	X(623, FK_F32, "vdpps $0x7e,32(%rbx),%ymm2,%ymm3") \
	X(624, FK_F64, "dppd $0x33,%xmm1,%xmm0") \
	X(625, FK_F64, "dppd $0x12,16(%rbx),%xmm2") \
	X(626, FK_F64, "dppd $0xf2,%xmm1,%xmm0") \
	X(627, FK_F64, "vdppd $0x31,%xmm1,%xmm2,%xmm0") \
	X(628, FK_F64, "vdppd $0x23,(%rbx),%xmm2,%xmm3") \
	X(629, FK_F32, "dpps $0xf0,%xmm1,%xmm0") \
	X(630, FK_F64, "dppd $0x30,%xmm1,%xmm0") \
	X(631, FK_INT, "stmxcsr 8(%rbx)") \
	X(632, FK_INT, "vstmxcsr 4(%rbx)") \
	X(633, FK_INT, "andl $0xffff,(%rbx); ldmxcsr (%rbx)") \
	X(634, FK_INT, "andl $0xffff,8(%rbx); vldmxcsr 8(%rbx)") \
	X(635, FK_INT, "lfence") \
	X(636, FK_INT, "mfence") \
	X(637, FK_INT, "sfence") \
	X(638, FK_INT, "clflush 8(%rbx)") \
	X(639, FK_INT, "clflushopt 16(%rbx)") \
	X(640, FK_INT, "clwb 24(%rbx)")

#define DEF(id, k, t) FP_FORM(id, t);
SSE_FORMS(DEF)

static const struct fp_form sse_forms[] = {
#define ROW(id, k, t) FP_ROW(id, k, t),
	SSE_FORMS(ROW)
};

#ifndef FP_CASES
#define FP_CASES 200
#endif

TEST(emu_fp_sse_forms)
{
	unsigned r[4];

	if (!__get_cpuid_count(7, 0, &r[0], &r[1], &r[2], &r[3]) ||
	    !(r[1] & (1u << 5))) {
		test_skip("host without AVX2");
		return;
	}
	EXPECT_EQ(0, fp_run_forms_vendor(sse_forms,
					 sizeof(sse_forms) / sizeof(sse_forms[0]),
					 FP_CASES, NULL, &sse_vendor));
}

/* RCPPS/RSQRTPS against the host on every table case (the top 11
 * fraction bits) of every exponent and both signs, with random low
 * fraction bits, under a random MXCSR (which must not matter). The
 * tables come from an Intel CPU (tools/gen-rcp-table.c): elsewhere the
 * host judges the special cases only, the SDM's bound the others
 * (rcp_sweep_lane), and the digests of the engine's results are
 * checked against the Intel record. */
static unsigned rcp_sweep(void)
{
	bool intel = host_is_intel();
	int rec = fp_rng_recorded(&sse_vendor, "the RCPPS/RSQRTPS sweep");
	uint64_t dr = DIGEST_INIT, dq = DIGEST_INIT;
	unsigned bad = rec < 0;

	if (!intel)
		printf("# host %s: the bits of RCPPS/RSQRTPS (SDM Vol. 2B: "
		       "|relative error| <= 1.5*2^-12 only) checked against "
		       "the Intel record only, the bound exactly\n",
		       host_vendor());
	for (uint32_t hi = 0; hi < (1u << 20); hi += 4) {
		uint32_t x[4], r[4], q[4];
		__m128 v;

		for (unsigned i = 0; i < 4; i++)
			x[i] = (hi + i) << 12 | (uint32_t)(fp_rnd() & 0xfff);
		_mm_setcsr(fp_csr[fp_rnd() % 8]);
		memcpy(&v, x, 16);
		_mm_storeu_ps((float *)r, _mm_rcp_ps(v));
		_mm_storeu_ps((float *)q, _mm_rsqrt_ps(v));
		_mm_setcsr(0x1f80);
		for (unsigned i = 0; i < 4; i++) {
			uint32_t er = sse_rcp32(x[i]), eq = sse_rsqrt32(x[i]);

			bad += rcp_sweep_lane("rcp", x[i], r[i], er, false, bad);
			bad += rcp_sweep_lane("rsqrt", x[i], q[i], eq, true, bad);
			dr = digest_add(dr, intel ? &r[i] : &er, 4);
			dq = digest_add(dq, intel ? &q[i] : &eq, 4);
		}
	}
	if (rec != 0) {
		bad += fp_record_check(&sse_vendor, "rcpps table sweep", dr);
		bad += fp_record_check(&sse_vendor, "rsqrtps table sweep", dq);
	}
	return bad;
}

TEST(emu_fp_rcp_rsqrt_tables)
{
	EXPECT_EQ(0, rcp_sweep());
}

/* FXSAVE/FXRSTOR and XSAVE/XSAVEOPT/XSAVEC/XRSTOR against the host: a
 * random x87/SSE/AVX state saved, and a random image (valid MXCSR and
 * XSAVE header) restored. The images are larger than the harness
 * buffer, so the forms run here with their own; both sides start from
 * the same buffer contents, so bytes an instruction leaves alone must
 * stay equal too. EDX:EAX is the XSAVE feature mask. */
FP_FORM(fx0, "fxsave64 (%rbx)");
FP_FORM(fx1, "fxsave (%rbx)");
FP_FORM(fx2, "xsave64 (%rbx)");
FP_FORM(fx3, "xsave (%rbx)");
FP_FORM(fx4, "xsaveopt64 (%rbx)");
FP_FORM(fx5, "xsavec64 (%rbx)");
FP_FORM(fx10, "xsaveopt (%rbx)");
FP_FORM(fx11, "xsavec (%rbx)");
FP_FORM(fx6, "fxrstor64 (%rbx)");
FP_FORM(fx7, "fxrstor (%rbx)");
FP_FORM(fx8, "xrstor64 (%rbx)");
FP_FORM(fx9, "xrstor (%rbx)");

#define XBUF 1024u

/* Does the host keep the 64-bit FIP canonical to 48 bits, as the
 * engine does (its linear addresses are 48 bits wide)? An Intel Xeon
 * of family 6 model 85 does; one of model 207 keeps 57 bits (bits
 * 63:57 copy bit 56) even where CPUID does not show LA57, so there the
 * test gives FXRSTOR only FIPs that are canonical in both. */
static bool host_fip48(void)
{
	static uint8_t img[512] __attribute__((aligned(16)));
	static int known = -1;
	uint64_t fip = 1ull << 47, got;
	uint32_t csr = 0x1f80;

	if (known < 0 && !host_is_intel()) {
		/* The record's cases are those of the Intel host it came
		 * from (model 207); FXSAVE elsewhere need not store FIP
		 * (save_open), so the probe would tell nothing. */
		known = 0;
		printf("# host %s: FIPs canonical to 48 bits, as for the "
		       "recorded Intel host\n", host_vendor());
	}
	if (known < 0) {
		memset(img, 0, sizeof(img));
		img[0] = 0x7f;
		img[1] = 0x03;
		memcpy(img + 8, &fip, 8);
		memcpy(img + 24, &csr, 4);
		__asm__ volatile("fxrstor64 %0\n\tfxsave64 %0"
				 : "+m"(img));
		memcpy(&got, img + 8, 8);
		known = got == 0xffff800000000000ull;
		if (!known)
			printf("# host keeps FIP %016llx: wider than 48 bits\n",
			       (unsigned long long)got);
		__asm__ volatile("fninit");
	}
	return known;
}

/* A FIP both sides canonicalize alike (host_fip48). */
static void fip_for_host(uint8_t *img)
{
	uint64_t fip;

	if (host_fip48())
		return;
	memcpy(&fip, img + 8, 8);
	fip = (uint64_t)((int64_t)(fip << 16) >> 16);
	memcpy(img + 8, &fip, 8);
}

static void random_x87(uint8_t *img)
{
	for (unsigned i = 0; i < 160; i += 8) {
		uint64_t v = fp_rnd();

		if (i != 24)                    /* MXCSR, MXCSR_MASK */
			memcpy(img + i, &v, 8);
	}
	fip_for_host(img);
}

/* A buffer FXRSTOR/XRSTOR accept: MXCSR without reserved bits, an
 * XSAVE header with XSTATE_BV within x87|SSE|AVX, XCOMP_BV 0 or (for
 * the compacted format) bit 63 with the same components, rest 0. */
static void valid_image(uint8_t *buf)
{
	uint64_t bv = fp_rnd() & 7, comp = fp_rnd() & 1 ?
		      (1ull << 63) | 7 : 0;
	uint32_t csr;

	memcpy(&csr, buf + 24, 4);
	csr &= 0xffff;
	memcpy(buf + 24, &csr, 4);
	memset(buf + 512, 0, 64);
	memcpy(buf + 512, &bv, 8);
	memcpy(buf + 520, &comp, 8);
	fip_for_host(buf);
}

static bool state_equal(const struct fp_image *h, const struct fp_image *e)
{
	return !memcmp(h->ymm, e->ymm, sizeof(h->ymm)) &&
	       h->mxcsr == e->mxcsr && fp_x87_equal(h->x87, e->x87);
}

static unsigned restore_check(const struct fp_form *f, struct fp_image *h,
			      const struct fp_image *e, const uint8_t *hbuf,
			      uint64_t *d)
{
	*d = state_digest(*d, host_is_intel() ? h : e);
	/* FOP after FXRSTOR with ES = 0 as FXSAVE stores it: save_open. */
	if (!host_is_intel() && !(h->x87[2] & 0x80))
		memcpy(h->x87 + 6, e->x87 + 6, 2);
	if (state_equal(h, e))
		return 0;
	fp_dump(f->text, h, e, hbuf, hbuf);
	return 1;
}

static unsigned save_check(const struct fp_form *f, const uint64_t *rfbm,
			   const uint8_t *hbuf, const uint8_t *ebuf,
			   uint64_t *d)
{
	bool wide = strstr(f->text, "64") != NULL;

	*d = digest_add(*d, host_is_intel() ? hbuf : ebuf, XBUF);
	for (unsigned i = 0; i < XBUF; i++)
		if (hbuf[i] != ebuf[i] && !save_open(i, hbuf, wide)) {
			printf("# %s rfbm %llx: byte %u host %02x emu %02x\n",
			       f->text, (unsigned long long)*rfbm, i,
			       hbuf[i], ebuf[i]);
			return 1;
		}
	return 0;
}

static unsigned save_case(const struct fp_form *f, bool restore,
			  uint64_t *d)
{
	static uint8_t hbuf[XBUF] __attribute__((aligned(64)));
	static uint8_t emem[FP_MEM];
	const uint8_t *ebuf = mock_mem + FP_DATA;
	struct fp_image h, e;

	fp_random_image(&h, FK_F64);
	random_x87(h.x87);
	h.gpr[0] = fp_rnd() % 4 ? 7 : fp_rnd() % 8;
	h.gpr[2] = 0;
	fp_fill(hbuf, sizeof(hbuf), FK_INT);
	valid_image(hbuf);
	e = h;
	/* fp_engine copies the first FP_MEM bytes; the rest goes here. */
	memcpy(emem, hbuf, FP_MEM);
	memcpy(mock_mem + FP_DATA + FP_MEM, hbuf + FP_MEM, XBUF - FP_MEM);
	h.gpr[4] = (uint64_t)(uintptr_t)hbuf;
	f->native(&h);
	if (fp_engine(f, &e, emem) != -1)
		return 1;
	return restore ? restore_check(f, &h, &e, hbuf, d)
		       : save_check(f, &h.gpr[0], hbuf, ebuf, d);
}

/* The record holds the cases with FIPs canonical to 48 bits only
 * (fip_for_host), those of the Intel host it came from, drawn from the
 * recorded generator state rec (fp_rng_recorded). */
static unsigned save_record(const struct fp_form *f, int rec, uint64_t d)
{
	if (rec == 0)
		return 0;
	if (host_fip48()) {
		printf("# record not checked: '%s': this host keeps 48-bit "
		       "FIPs, so the cases differ from the record's\n",
		       f->text);
		return 0;
	}
	return fp_record_check(&sse_vendor, f->text, d);
}

TEST(emu_fp_save_restore)
{
	static const struct fp_form f[] = {
		FP_ROW(fx0, FK_INT, "fxsave64"), FP_ROW(fx1, FK_INT, "fxsave"),
		FP_ROW(fx2, FK_INT, "xsave64"), FP_ROW(fx3, FK_INT, "xsave"),
		FP_ROW(fx4, FK_INT, "xsaveopt64"),
		FP_ROW(fx5, FK_INT, "xsavec64"),
		FP_ROW(fx10, FK_INT, "xsaveopt"),
		FP_ROW(fx11, FK_INT, "xsavec"),
		FP_ROW(fx6, FK_INT, "fxrstor64"), FP_ROW(fx7, FK_INT, "fxrstor"),
		FP_ROW(fx8, FK_INT, "xrstor64"), FP_ROW(fx9, FK_INT, "xrstor"),
	};

	int rec = fp_rng_recorded(&sse_vendor, "the save/restore forms");

	EXPECT_TRUE(rec >= 0);
	if (!host_is_intel())
		printf("# host %s: MXCSR_MASK saved, FOP/FIP/FDP saved or "
		       "restored with FSW.ES = 0 and FDP bits 63:56 saved "
		       "(SDM Vol. 1, 11.6.6, 8.1.8, 8.1.9.1; save_open) "
		       "checked against the Intel record only\n",
		       host_vendor());
	for (unsigned i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		uint64_t d = DIGEST_INIT;
		unsigned bad = 0;

		for (unsigned c = 0; c < 100; c++)
			bad += save_case(&f[i], i >= 8, &d);
		EXPECT_EQ(0, bad);
		EXPECT_EQ(0, save_record(&f[i], rec, d));
	}
}
