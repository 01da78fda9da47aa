/* SPDX-License-Identifier: MIT */
/* Differential test of the VEX-only AVX/AVX2 forms (broadcasts,
 * permutes, lane inserts/extracts, masked moves, gathers, variable
 * shifts, blends), the AVX2 256-bit integer forms, FMA3, F16C, AES-NI,
 * PCLMULQDQ and SSE4.2 (PCMPxSTRx, PCMPGTQ): each form runs natively
 * (the host CPU is the oracle) and in the engine on random registers,
 * memory and MXCSR modes; everything must match bit for bit. Then the
 * engine-only #UD/#NM/#PF rules of the VEX encodings.
 * Generated form list (one instruction per row). */
#include "emu_fp_harness.h"
#include "../lib/test.h"

#include <cpuid.h>

#define AVX_FORMS(X) \
	X(0, FK_F32, "vfmadd132ps %ymm1,%ymm2,%ymm0") \
	X(1, FK_F32, "vfmadd132ps (%rbx),%xmm2,%xmm3") \
	X(2, FK_F64, "vfmadd132pd %ymm1,%ymm2,%ymm0") \
	X(3, FK_F64, "vfmadd132pd (%rbx),%xmm2,%xmm3") \
	X(4, FK_F32, "vfmadd132ss %xmm1,%xmm2,%xmm0") \
	X(5, FK_F32, "vfmadd132ss 4(%rbx),%xmm2,%xmm3") \
	X(6, FK_F64, "vfmadd132sd %xmm1,%xmm2,%xmm0") \
	X(7, FK_F64, "vfmadd132sd 8(%rbx),%xmm2,%xmm3") \
	X(8, FK_F32, "vfmsub132ps %ymm1,%ymm2,%ymm0") \
	X(9, FK_F32, "vfmsub132ps (%rbx),%xmm2,%xmm3") \
	X(10, FK_F64, "vfmsub132pd %ymm1,%ymm2,%ymm0") \
	X(11, FK_F64, "vfmsub132pd (%rbx),%xmm2,%xmm3") \
	X(12, FK_F32, "vfmsub132ss %xmm1,%xmm2,%xmm0") \
	X(13, FK_F32, "vfmsub132ss 4(%rbx),%xmm2,%xmm3") \
	X(14, FK_F64, "vfmsub132sd %xmm1,%xmm2,%xmm0") \
	X(15, FK_F64, "vfmsub132sd 8(%rbx),%xmm2,%xmm3") \
	X(16, FK_F32, "vfnmadd132ps %ymm1,%ymm2,%ymm0") \
	X(17, FK_F32, "vfnmadd132ps (%rbx),%xmm2,%xmm3") \
	X(18, FK_F64, "vfnmadd132pd %ymm1,%ymm2,%ymm0") \
	X(19, FK_F64, "vfnmadd132pd (%rbx),%xmm2,%xmm3") \
	X(20, FK_F32, "vfnmadd132ss %xmm1,%xmm2,%xmm0") \
	X(21, FK_F32, "vfnmadd132ss 4(%rbx),%xmm2,%xmm3") \
	X(22, FK_F64, "vfnmadd132sd %xmm1,%xmm2,%xmm0") \
	X(23, FK_F64, "vfnmadd132sd 8(%rbx),%xmm2,%xmm3") \
	X(24, FK_F32, "vfnmsub132ps %ymm1,%ymm2,%ymm0") \
	X(25, FK_F32, "vfnmsub132ps (%rbx),%xmm2,%xmm3") \
	X(26, FK_F64, "vfnmsub132pd %ymm1,%ymm2,%ymm0") \
	X(27, FK_F64, "vfnmsub132pd (%rbx),%xmm2,%xmm3") \
	X(28, FK_F32, "vfnmsub132ss %xmm1,%xmm2,%xmm0") \
	X(29, FK_F32, "vfnmsub132ss 4(%rbx),%xmm2,%xmm3") \
	X(30, FK_F64, "vfnmsub132sd %xmm1,%xmm2,%xmm0") \
	X(31, FK_F64, "vfnmsub132sd 8(%rbx),%xmm2,%xmm3") \
	X(32, FK_F32, "vfmaddsub132ps %xmm1,%xmm2,%xmm0") \
	X(33, FK_F32, "vfmaddsub132ps 32(%rbx),%ymm2,%ymm3") \
	X(34, FK_F64, "vfmaddsub132pd %xmm1,%xmm2,%xmm0") \
	X(35, FK_F64, "vfmaddsub132pd 32(%rbx),%ymm2,%ymm3") \
	X(36, FK_F32, "vfmsubadd132ps %xmm1,%xmm2,%xmm0") \
	X(37, FK_F32, "vfmsubadd132ps 32(%rbx),%ymm2,%ymm3") \
	X(38, FK_F64, "vfmsubadd132pd %xmm1,%xmm2,%xmm0") \
	X(39, FK_F64, "vfmsubadd132pd 32(%rbx),%ymm2,%ymm3") \
	X(40, FK_F32, "vfmadd213ps %ymm1,%ymm2,%ymm0") \
	X(41, FK_F32, "vfmadd213ps (%rbx),%xmm2,%xmm3") \
	X(42, FK_F64, "vfmadd213pd %ymm1,%ymm2,%ymm0") \
	X(43, FK_F64, "vfmadd213pd (%rbx),%xmm2,%xmm3") \
	X(44, FK_F32, "vfmadd213ss %xmm1,%xmm2,%xmm0") \
	X(45, FK_F32, "vfmadd213ss 4(%rbx),%xmm2,%xmm3") \
	X(46, FK_F64, "vfmadd213sd %xmm1,%xmm2,%xmm0") \
	X(47, FK_F64, "vfmadd213sd 8(%rbx),%xmm2,%xmm3") \
	X(48, FK_F32, "vfmsub213ps %ymm1,%ymm2,%ymm0") \
	X(49, FK_F32, "vfmsub213ps (%rbx),%xmm2,%xmm3") \
	X(50, FK_F64, "vfmsub213pd %ymm1,%ymm2,%ymm0") \
	X(51, FK_F64, "vfmsub213pd (%rbx),%xmm2,%xmm3") \
	X(52, FK_F32, "vfmsub213ss %xmm1,%xmm2,%xmm0") \
	X(53, FK_F32, "vfmsub213ss 4(%rbx),%xmm2,%xmm3") \
	X(54, FK_F64, "vfmsub213sd %xmm1,%xmm2,%xmm0") \
	X(55, FK_F64, "vfmsub213sd 8(%rbx),%xmm2,%xmm3") \
	X(56, FK_F32, "vfnmadd213ps %ymm1,%ymm2,%ymm0") \
	X(57, FK_F32, "vfnmadd213ps (%rbx),%xmm2,%xmm3") \
	X(58, FK_F64, "vfnmadd213pd %ymm1,%ymm2,%ymm0") \
	X(59, FK_F64, "vfnmadd213pd (%rbx),%xmm2,%xmm3") \
	X(60, FK_F32, "vfnmadd213ss %xmm1,%xmm2,%xmm0") \
	X(61, FK_F32, "vfnmadd213ss 4(%rbx),%xmm2,%xmm3") \
	X(62, FK_F64, "vfnmadd213sd %xmm1,%xmm2,%xmm0") \
	X(63, FK_F64, "vfnmadd213sd 8(%rbx),%xmm2,%xmm3") \
	X(64, FK_F32, "vfnmsub213ps %ymm1,%ymm2,%ymm0") \
	X(65, FK_F32, "vfnmsub213ps (%rbx),%xmm2,%xmm3") \
	X(66, FK_F64, "vfnmsub213pd %ymm1,%ymm2,%ymm0") \
	X(67, FK_F64, "vfnmsub213pd (%rbx),%xmm2,%xmm3") \
	X(68, FK_F32, "vfnmsub213ss %xmm1,%xmm2,%xmm0") \
	X(69, FK_F32, "vfnmsub213ss 4(%rbx),%xmm2,%xmm3") \
	X(70, FK_F64, "vfnmsub213sd %xmm1,%xmm2,%xmm0") \
	X(71, FK_F64, "vfnmsub213sd 8(%rbx),%xmm2,%xmm3") \
	X(72, FK_F32, "vfmaddsub213ps %xmm1,%xmm2,%xmm0") \
	X(73, FK_F32, "vfmaddsub213ps 32(%rbx),%ymm2,%ymm3") \
	X(74, FK_F64, "vfmaddsub213pd %xmm1,%xmm2,%xmm0") \
	X(75, FK_F64, "vfmaddsub213pd 32(%rbx),%ymm2,%ymm3") \
	X(76, FK_F32, "vfmsubadd213ps %xmm1,%xmm2,%xmm0") \
	X(77, FK_F32, "vfmsubadd213ps 32(%rbx),%ymm2,%ymm3") \
	X(78, FK_F64, "vfmsubadd213pd %xmm1,%xmm2,%xmm0") \
	X(79, FK_F64, "vfmsubadd213pd 32(%rbx),%ymm2,%ymm3") \
	X(80, FK_F32, "vfmadd231ps %ymm1,%ymm2,%ymm0") \
	X(81, FK_F32, "vfmadd231ps (%rbx),%xmm2,%xmm3") \
	X(82, FK_F64, "vfmadd231pd %ymm1,%ymm2,%ymm0") \
	X(83, FK_F64, "vfmadd231pd (%rbx),%xmm2,%xmm3") \
	X(84, FK_F32, "vfmadd231ss %xmm1,%xmm2,%xmm0") \
	X(85, FK_F32, "vfmadd231ss 4(%rbx),%xmm2,%xmm3") \
	X(86, FK_F64, "vfmadd231sd %xmm1,%xmm2,%xmm0") \
	X(87, FK_F64, "vfmadd231sd 8(%rbx),%xmm2,%xmm3") \
	X(88, FK_F32, "vfmsub231ps %ymm1,%ymm2,%ymm0") \
	X(89, FK_F32, "vfmsub231ps (%rbx),%xmm2,%xmm3") \
	X(90, FK_F64, "vfmsub231pd %ymm1,%ymm2,%ymm0") \
	X(91, FK_F64, "vfmsub231pd (%rbx),%xmm2,%xmm3") \
	X(92, FK_F32, "vfmsub231ss %xmm1,%xmm2,%xmm0") \
	X(93, FK_F32, "vfmsub231ss 4(%rbx),%xmm2,%xmm3") \
	X(94, FK_F64, "vfmsub231sd %xmm1,%xmm2,%xmm0") \
	X(95, FK_F64, "vfmsub231sd 8(%rbx),%xmm2,%xmm3") \
	X(96, FK_F32, "vfnmadd231ps %ymm1,%ymm2,%ymm0") \
	X(97, FK_F32, "vfnmadd231ps (%rbx),%xmm2,%xmm3") \
	X(98, FK_F64, "vfnmadd231pd %ymm1,%ymm2,%ymm0") \
	X(99, FK_F64, "vfnmadd231pd (%rbx),%xmm2,%xmm3") \
	X(100, FK_F32, "vfnmadd231ss %xmm1,%xmm2,%xmm0") \
	X(101, FK_F32, "vfnmadd231ss 4(%rbx),%xmm2,%xmm3") \
	X(102, FK_F64, "vfnmadd231sd %xmm1,%xmm2,%xmm0") \
	X(103, FK_F64, "vfnmadd231sd 8(%rbx),%xmm2,%xmm3") \
	X(104, FK_F32, "vfnmsub231ps %ymm1,%ymm2,%ymm0") \
	X(105, FK_F32, "vfnmsub231ps (%rbx),%xmm2,%xmm3") \
	X(106, FK_F64, "vfnmsub231pd %ymm1,%ymm2,%ymm0") \
	X(107, FK_F64, "vfnmsub231pd (%rbx),%xmm2,%xmm3") \
	X(108, FK_F32, "vfnmsub231ss %xmm1,%xmm2,%xmm0") \
	X(109, FK_F32, "vfnmsub231ss 4(%rbx),%xmm2,%xmm3") \
	X(110, FK_F64, "vfnmsub231sd %xmm1,%xmm2,%xmm0") \
	X(111, FK_F64, "vfnmsub231sd 8(%rbx),%xmm2,%xmm3") \
	X(112, FK_F32, "vfmaddsub231ps %xmm1,%xmm2,%xmm0") \
	X(113, FK_F32, "vfmaddsub231ps 32(%rbx),%ymm2,%ymm3") \
	X(114, FK_F64, "vfmaddsub231pd %xmm1,%xmm2,%xmm0") \
	X(115, FK_F64, "vfmaddsub231pd 32(%rbx),%ymm2,%ymm3") \
	X(116, FK_F32, "vfmsubadd231ps %xmm1,%xmm2,%xmm0") \
	X(117, FK_F32, "vfmsubadd231ps 32(%rbx),%ymm2,%ymm3") \
	X(118, FK_F64, "vfmsubadd231pd %xmm1,%xmm2,%xmm0") \
	X(119, FK_F64, "vfmsubadd231pd 32(%rbx),%ymm2,%ymm3") \
	X(120, FK_F16, "vcvtph2ps %xmm1,%xmm0") \
	X(121, FK_F16, "vcvtph2ps %xmm1,%ymm0") \
	X(122, FK_F16, "vcvtph2ps 8(%rbx),%ymm2") \
	X(123, FK_F16, "vcvtph2ps (%rbx),%xmm3") \
	X(124, FK_F32, "vcvtps2ph $0,%ymm1,%xmm0") \
	X(125, FK_F32, "vcvtps2ph $1,%ymm1,%xmm0") \
	X(126, FK_F32, "vcvtps2ph $2,%ymm1,%xmm0") \
	X(127, FK_F32, "vcvtps2ph $3,%ymm1,%xmm0") \
	X(128, FK_F32, "vcvtps2ph $4,%ymm1,%xmm0") \
	X(129, FK_F32, "vcvtps2ph $5,%ymm1,%xmm0") \
	X(130, FK_F32, "vcvtps2ph $6,%ymm1,%xmm0") \
	X(131, FK_F32, "vcvtps2ph $7,%ymm1,%xmm0") \
	X(132, FK_F32, "vcvtps2ph $4,%xmm1,%xmm2") \
	X(133, FK_F32, "vcvtps2ph $0,%xmm1,8(%rbx)") \
	X(134, FK_F32, "vcvtps2ph $6,%ymm1,16(%rbx)") \
	X(135, FK_INT, "vbroadcastss (%rbx),%xmm0") \
	X(136, FK_INT, "vbroadcastss 4(%rbx),%ymm1") \
	X(137, FK_INT, "vbroadcastss %xmm2,%ymm3") \
	X(138, FK_INT, "vbroadcastss %xmm2,%xmm4") \
	X(139, FK_INT, "vbroadcastsd 8(%rbx),%ymm1") \
	X(140, FK_INT, "vbroadcastsd %xmm2,%ymm3") \
	X(141, FK_INT, "vbroadcastf128 16(%rbx),%ymm5") \
	X(142, FK_INT, "vbroadcasti128 32(%rbx),%ymm6") \
	X(143, FK_INT, "vpbroadcastb %xmm1,%xmm0") \
	X(144, FK_INT, "vpbroadcastb 3(%rbx),%ymm2") \
	X(145, FK_INT, "vpbroadcastw %xmm1,%ymm0") \
	X(146, FK_INT, "vpbroadcastw 6(%rbx),%xmm2") \
	X(147, FK_INT, "vpbroadcastd %xmm1,%ymm0") \
	X(148, FK_INT, "vpbroadcastd 4(%rbx),%xmm2") \
	X(149, FK_INT, "vpbroadcastq %xmm1,%ymm0") \
	X(150, FK_INT, "vpbroadcastq 8(%rbx),%xmm2") \
	X(151, FK_INT, "vpermilps %ymm1,%ymm2,%ymm0") \
	X(152, FK_INT, "vpermilps (%rbx),%xmm2,%xmm3") \
	X(153, FK_INT, "vpermilpd %ymm1,%ymm2,%ymm0") \
	X(154, FK_INT, "vpermilpd 32(%rbx),%xmm2,%xmm3") \
	X(155, FK_INT, "vpermilps $0x1b,%ymm1,%ymm0") \
	X(156, FK_INT, "vpermilps $0xc6,(%rbx),%xmm2") \
	X(157, FK_INT, "vpermilpd $0x5,%ymm1,%ymm0") \
	X(158, FK_INT, "vpermilpd $0x2,16(%rbx),%xmm2") \
	X(159, FK_INT, "vperm2f128 $0x21,%ymm1,%ymm2,%ymm0") \
	X(160, FK_INT, "vperm2f128 $0x83,(%rbx),%ymm2,%ymm3") \
	X(161, FK_INT, "vperm2i128 $0x30,%ymm1,%ymm2,%ymm0") \
	X(162, FK_INT, "vperm2i128 $0x1a,32(%rbx),%ymm2,%ymm3") \
	X(163, FK_INT, "vpermd %ymm1,%ymm2,%ymm0") \
	X(164, FK_INT, "vpermd (%rbx),%ymm2,%ymm3") \
	X(165, FK_INT, "vpermps %ymm1,%ymm2,%ymm0") \
	X(166, FK_INT, "vpermps 32(%rbx),%ymm2,%ymm3") \
	X(167, FK_INT, "vpermq $0x1b,%ymm1,%ymm0") \
	X(168, FK_INT, "vpermq $0x72,(%rbx),%ymm2") \
	X(169, FK_INT, "vpermpd $0xd8,%ymm1,%ymm0") \
	X(170, FK_INT, "vpermpd $0x4e,32(%rbx),%ymm2") \
	X(171, FK_INT, "vinsertf128 $1,%xmm1,%ymm2,%ymm0") \
	X(172, FK_INT, "vinsertf128 $0,16(%rbx),%ymm2,%ymm3") \
	X(173, FK_INT, "vinserti128 $1,(%rbx),%ymm2,%ymm3") \
	X(174, FK_INT, "vinserti128 $0,%xmm1,%ymm2,%ymm0") \
	X(175, FK_INT, "vextractf128 $1,%ymm1,%xmm0") \
	X(176, FK_INT, "vextractf128 $0,%ymm1,16(%rbx)") \
	X(177, FK_INT, "vextracti128 $1,%ymm1,(%rbx)") \
	X(178, FK_INT, "vextracti128 $0,%ymm1,%xmm2") \
	X(179, FK_INT, "vmaskmovps (%rbx),%ymm2,%ymm0") \
	X(180, FK_INT, "vmaskmovps 8(%rbx),%xmm2,%xmm3") \
	X(181, FK_INT, "vmaskmovpd 32(%rbx),%ymm2,%ymm0") \
	X(182, FK_INT, "vmaskmovpd (%rbx),%xmm2,%xmm3") \
	X(183, FK_INT, "vmaskmovps %ymm1,%ymm2,(%rbx)") \
	X(184, FK_INT, "vmaskmovps %xmm1,%xmm2,8(%rbx)") \
	X(185, FK_INT, "vmaskmovpd %ymm1,%ymm2,32(%rbx)") \
	X(186, FK_INT, "vmaskmovpd %xmm1,%xmm2,(%rbx)") \
	X(187, FK_INT, "vpmaskmovd (%rbx),%ymm2,%ymm0") \
	X(188, FK_INT, "vpmaskmovd 4(%rbx),%xmm2,%xmm3") \
	X(189, FK_INT, "vpmaskmovq 8(%rbx),%ymm2,%ymm0") \
	X(190, FK_INT, "vpmaskmovq (%rbx),%xmm2,%xmm3") \
	X(191, FK_INT, "vpmaskmovd %ymm1,%ymm2,(%rbx)") \
	X(192, FK_INT, "vpmaskmovd %xmm1,%xmm2,12(%rbx)") \
	X(193, FK_INT, "vpmaskmovq %ymm1,%ymm2,16(%rbx)") \
	X(194, FK_INT, "vpmaskmovq %xmm1,%xmm2,(%rbx)") \
	X(195, FK_INT, "vtestps %ymm1,%ymm0") \
	X(196, FK_INT, "vtestps (%rbx),%xmm2") \
	X(197, FK_INT, "vtestpd %ymm1,%ymm0") \
	X(198, FK_INT, "vtestpd 32(%rbx),%xmm2") \
	X(199, FK_INT, "vblendvps %ymm3,%ymm1,%ymm2,%ymm0") \
	X(200, FK_INT, "vblendvps %xmm4,(%rbx),%xmm2,%xmm5") \
	X(201, FK_INT, "vblendvpd %ymm3,%ymm1,%ymm2,%ymm0") \
	X(202, FK_INT, "vblendvpd %xmm4,16(%rbx),%xmm2,%xmm5") \
	X(203, FK_INT, "vpblendvb %ymm3,%ymm1,%ymm2,%ymm0") \
	X(204, FK_INT, "vpblendvb %xmm12,(%rbx),%xmm2,%xmm5") \
	X(205, FK_INT, "vpblendd $0xa5,%ymm1,%ymm2,%ymm0") \
	X(206, FK_INT, "vpblendd $0x3,(%rbx),%xmm2,%xmm3") \
	X(207, FK_SHIFT, "vpsllvd %ymm1,%ymm2,%ymm0") \
	X(208, FK_SHIFT, "vpsllvd (%rbx),%xmm2,%xmm3") \
	X(209, FK_SHIFT, "vpsllvq %ymm1,%ymm2,%ymm0") \
	X(210, FK_SHIFT, "vpsllvq 16(%rbx),%xmm2,%xmm3") \
	X(211, FK_SHIFT, "vpsrlvd %ymm1,%ymm2,%ymm0") \
	X(212, FK_SHIFT, "vpsrlvd (%rbx),%xmm2,%xmm3") \
	X(213, FK_SHIFT, "vpsrlvq %ymm1,%ymm2,%ymm0") \
	X(214, FK_SHIFT, "vpsrlvq 32(%rbx),%xmm2,%xmm3") \
	X(215, FK_SHIFT, "vpsravd %ymm1,%ymm2,%ymm0") \
	X(216, FK_SHIFT, "vpsravd (%rbx),%xmm2,%xmm3") \
	X(217, FK_GATHER, "vgatherdps %ymm2,64(%rbx,%ymm1,4),%ymm0") \
	X(218, FK_GATHER, "vgatherdps %xmm2,64(%rbx,%xmm1,4),%xmm0") \
	X(219, FK_GATHER, "vgatherqps %xmm2,64(%rbx,%ymm3,4),%xmm0") \
	X(220, FK_GATHER, "vgatherqps %xmm2,64(%rbx,%xmm3,8),%xmm0") \
	X(221, FK_GATHER, "vgatherdpd %ymm2,64(%rbx,%xmm1,8),%ymm0") \
	X(222, FK_GATHER, "vgatherdpd %xmm2,64(%rbx,%xmm1,4),%xmm0") \
	X(223, FK_GATHER, "vgatherqpd %ymm2,64(%rbx,%ymm3,8),%ymm0") \
	X(224, FK_GATHER, "vgatherqpd %xmm2,64(%rbx,%xmm3,2),%xmm0") \
	X(225, FK_GATHER, "vpgatherdd %ymm2,64(%rbx,%ymm1,4),%ymm0") \
	X(226, FK_GATHER, "vpgatherdd %xmm2,60(%rbx,%xmm1,1),%xmm0") \
	X(227, FK_GATHER, "vpgatherqd %xmm2,64(%rbx,%ymm3,4),%xmm0") \
	X(228, FK_GATHER, "vpgatherqd %xmm2,64(%rbx,%xmm3,8),%xmm0") \
	X(229, FK_GATHER, "vpgatherdq %ymm2,64(%rbx,%xmm1,8),%ymm0") \
	X(230, FK_GATHER, "vpgatherdq %xmm2,64(%rbx,%xmm1,4),%xmm0") \
	X(231, FK_GATHER, "vpgatherqq %ymm2,64(%rbx,%ymm3,8),%ymm0") \
	X(232, FK_GATHER, "vpgatherqq %xmm2,64(%rbx,%xmm3,4),%xmm0") \
	X(233, FK_GATHER, "vpgatherdd %ymm12,64(%rbx,%ymm1,4),%ymm10") \
	X(234, FK_GATHER, "vgatherqpd %ymm2,(%rbx,%ymm13,8),%ymm0") \
	X(235, FK_INT, "vpaddb %ymm1,%ymm2,%ymm0") \
	X(236, FK_INT, "vpaddb 32(%rbx),%ymm2,%ymm3") \
	X(237, FK_INT, "vpaddw %ymm1,%ymm2,%ymm0") \
	X(238, FK_INT, "vpaddw 32(%rbx),%ymm2,%ymm3") \
	X(239, FK_INT, "vpaddd %ymm1,%ymm2,%ymm0") \
	X(240, FK_INT, "vpaddd 32(%rbx),%ymm2,%ymm3") \
	X(241, FK_INT, "vpaddq %ymm1,%ymm2,%ymm0") \
	X(242, FK_INT, "vpaddq 32(%rbx),%ymm2,%ymm3") \
	X(243, FK_INT, "vpsubb %ymm1,%ymm2,%ymm0") \
	X(244, FK_INT, "vpsubb 32(%rbx),%ymm2,%ymm3") \
	X(245, FK_INT, "vpsubw %ymm1,%ymm2,%ymm0") \
	X(246, FK_INT, "vpsubw 32(%rbx),%ymm2,%ymm3") \
	X(247, FK_INT, "vpsubd %ymm1,%ymm2,%ymm0") \
	X(248, FK_INT, "vpsubd 32(%rbx),%ymm2,%ymm3") \
	X(249, FK_INT, "vpsubq %ymm1,%ymm2,%ymm0") \
	X(250, FK_INT, "vpsubq 32(%rbx),%ymm2,%ymm3") \
	X(251, FK_INT, "vpaddsb %ymm1,%ymm2,%ymm0") \
	X(252, FK_INT, "vpaddsb 32(%rbx),%ymm2,%ymm3") \
	X(253, FK_INT, "vpaddsw %ymm1,%ymm2,%ymm0") \
	X(254, FK_INT, "vpaddsw 32(%rbx),%ymm2,%ymm3") \
	X(255, FK_INT, "vpsubsb %ymm1,%ymm2,%ymm0") \
	X(256, FK_INT, "vpsubsb 32(%rbx),%ymm2,%ymm3") \
	X(257, FK_INT, "vpsubsw %ymm1,%ymm2,%ymm0") \
	X(258, FK_INT, "vpsubsw 32(%rbx),%ymm2,%ymm3") \
	X(259, FK_INT, "vpaddusb %ymm1,%ymm2,%ymm0") \
	X(260, FK_INT, "vpaddusb 32(%rbx),%ymm2,%ymm3") \
	X(261, FK_INT, "vpaddusw %ymm1,%ymm2,%ymm0") \
	X(262, FK_INT, "vpaddusw 32(%rbx),%ymm2,%ymm3") \
	X(263, FK_INT, "vpsubusb %ymm1,%ymm2,%ymm0") \
	X(264, FK_INT, "vpsubusb 32(%rbx),%ymm2,%ymm3") \
	X(265, FK_INT, "vpsubusw %ymm1,%ymm2,%ymm0") \
	X(266, FK_INT, "vpsubusw 32(%rbx),%ymm2,%ymm3") \
	X(267, FK_INT, "vpcmpeqb %ymm1,%ymm2,%ymm0") \
	X(268, FK_INT, "vpcmpeqb 32(%rbx),%ymm2,%ymm3") \
	X(269, FK_INT, "vpcmpeqw %ymm1,%ymm2,%ymm0") \
	X(270, FK_INT, "vpcmpeqw 32(%rbx),%ymm2,%ymm3") \
	X(271, FK_INT, "vpcmpeqd %ymm1,%ymm2,%ymm0") \
	X(272, FK_INT, "vpcmpeqd 32(%rbx),%ymm2,%ymm3") \
	X(273, FK_INT, "vpcmpeqq %ymm1,%ymm2,%ymm0") \
	X(274, FK_INT, "vpcmpeqq 32(%rbx),%ymm2,%ymm3") \
	X(275, FK_INT, "vpcmpgtb %ymm1,%ymm2,%ymm0") \
	X(276, FK_INT, "vpcmpgtb 32(%rbx),%ymm2,%ymm3") \
	X(277, FK_INT, "vpcmpgtw %ymm1,%ymm2,%ymm0") \
	X(278, FK_INT, "vpcmpgtw 32(%rbx),%ymm2,%ymm3") \
	X(279, FK_INT, "vpcmpgtd %ymm1,%ymm2,%ymm0") \
	X(280, FK_INT, "vpcmpgtd 32(%rbx),%ymm2,%ymm3") \
	X(281, FK_INT, "vpcmpgtq %ymm1,%ymm2,%ymm0") \
	X(282, FK_INT, "vpcmpgtq 32(%rbx),%ymm2,%ymm3") \
	X(283, FK_INT, "vpmullw %ymm1,%ymm2,%ymm0") \
	X(284, FK_INT, "vpmullw 32(%rbx),%ymm2,%ymm3") \
	X(285, FK_INT, "vpmulhw %ymm1,%ymm2,%ymm0") \
	X(286, FK_INT, "vpmulhw 32(%rbx),%ymm2,%ymm3") \
	X(287, FK_INT, "vpmulhuw %ymm1,%ymm2,%ymm0") \
	X(288, FK_INT, "vpmulhuw 32(%rbx),%ymm2,%ymm3") \
	X(289, FK_INT, "vpmulld %ymm1,%ymm2,%ymm0") \
	X(290, FK_INT, "vpmulld 32(%rbx),%ymm2,%ymm3") \
	X(291, FK_INT, "vpmuludq %ymm1,%ymm2,%ymm0") \
	X(292, FK_INT, "vpmuludq 32(%rbx),%ymm2,%ymm3") \
	X(293, FK_INT, "vpmuldq %ymm1,%ymm2,%ymm0") \
	X(294, FK_INT, "vpmuldq 32(%rbx),%ymm2,%ymm3") \
	X(295, FK_INT, "vpavgb %ymm1,%ymm2,%ymm0") \
	X(296, FK_INT, "vpavgb 32(%rbx),%ymm2,%ymm3") \
	X(297, FK_INT, "vpavgw %ymm1,%ymm2,%ymm0") \
	X(298, FK_INT, "vpavgw 32(%rbx),%ymm2,%ymm3") \
	X(299, FK_INT, "vpminub %ymm1,%ymm2,%ymm0") \
	X(300, FK_INT, "vpminub 32(%rbx),%ymm2,%ymm3") \
	X(301, FK_INT, "vpmaxub %ymm1,%ymm2,%ymm0") \
	X(302, FK_INT, "vpmaxub 32(%rbx),%ymm2,%ymm3") \
	X(303, FK_INT, "vpminsw %ymm1,%ymm2,%ymm0") \
	X(304, FK_INT, "vpminsw 32(%rbx),%ymm2,%ymm3") \
	X(305, FK_INT, "vpmaxsw %ymm1,%ymm2,%ymm0") \
	X(306, FK_INT, "vpmaxsw 32(%rbx),%ymm2,%ymm3") \
	X(307, FK_INT, "vpminsb %ymm1,%ymm2,%ymm0") \
	X(308, FK_INT, "vpminsb 32(%rbx),%ymm2,%ymm3") \
	X(309, FK_INT, "vpmaxsb %ymm1,%ymm2,%ymm0") \
	X(310, FK_INT, "vpmaxsb 32(%rbx),%ymm2,%ymm3") \
	X(311, FK_INT, "vpminuw %ymm1,%ymm2,%ymm0") \
	X(312, FK_INT, "vpminuw 32(%rbx),%ymm2,%ymm3") \
	X(313, FK_INT, "vpmaxuw %ymm1,%ymm2,%ymm0") \
	X(314, FK_INT, "vpmaxuw 32(%rbx),%ymm2,%ymm3") \
	X(315, FK_INT, "vpminsd %ymm1,%ymm2,%ymm0") \
	X(316, FK_INT, "vpminsd 32(%rbx),%ymm2,%ymm3") \
	X(317, FK_INT, "vpmaxsd %ymm1,%ymm2,%ymm0") \
	X(318, FK_INT, "vpmaxsd 32(%rbx),%ymm2,%ymm3") \
	X(319, FK_INT, "vpminud %ymm1,%ymm2,%ymm0") \
	X(320, FK_INT, "vpminud 32(%rbx),%ymm2,%ymm3") \
	X(321, FK_INT, "vpmaxud %ymm1,%ymm2,%ymm0") \
	X(322, FK_INT, "vpmaxud 32(%rbx),%ymm2,%ymm3") \
	X(323, FK_INT, "vpand %ymm1,%ymm2,%ymm0") \
	X(324, FK_INT, "vpand 32(%rbx),%ymm2,%ymm3") \
	X(325, FK_INT, "vpandn %ymm1,%ymm2,%ymm0") \
	X(326, FK_INT, "vpandn 32(%rbx),%ymm2,%ymm3") \
	X(327, FK_INT, "vpor %ymm1,%ymm2,%ymm0") \
	X(328, FK_INT, "vpor 32(%rbx),%ymm2,%ymm3") \
	X(329, FK_INT, "vpxor %ymm1,%ymm2,%ymm0") \
	X(330, FK_INT, "vpxor 32(%rbx),%ymm2,%ymm3") \
	X(331, FK_INT, "vpsignb %ymm1,%ymm2,%ymm0") \
	X(332, FK_INT, "vpsignb 32(%rbx),%ymm2,%ymm3") \
	X(333, FK_INT, "vpsignw %ymm1,%ymm2,%ymm0") \
	X(334, FK_INT, "vpsignw 32(%rbx),%ymm2,%ymm3") \
	X(335, FK_INT, "vpsignd %ymm1,%ymm2,%ymm0") \
	X(336, FK_INT, "vpsignd 32(%rbx),%ymm2,%ymm3") \
	X(337, FK_INT, "vpmulhrsw %ymm1,%ymm2,%ymm0") \
	X(338, FK_INT, "vpmulhrsw 32(%rbx),%ymm2,%ymm3") \
	X(339, FK_INT, "vpmaddwd %ymm1,%ymm2,%ymm0") \
	X(340, FK_INT, "vpmaddwd 32(%rbx),%ymm2,%ymm3") \
	X(341, FK_INT, "vpmaddubsw %ymm1,%ymm2,%ymm0") \
	X(342, FK_INT, "vpmaddubsw 32(%rbx),%ymm2,%ymm3") \
	X(343, FK_INT, "vpsadbw %ymm1,%ymm2,%ymm0") \
	X(344, FK_INT, "vpsadbw 32(%rbx),%ymm2,%ymm3") \
	X(345, FK_INT, "vpshufb %ymm1,%ymm2,%ymm0") \
	X(346, FK_INT, "vpshufb 32(%rbx),%ymm2,%ymm3") \
	X(347, FK_INT, "vphaddw %ymm1,%ymm2,%ymm0") \
	X(348, FK_INT, "vphaddw 32(%rbx),%ymm2,%ymm3") \
	X(349, FK_INT, "vphaddd %ymm1,%ymm2,%ymm0") \
	X(350, FK_INT, "vphaddd 32(%rbx),%ymm2,%ymm3") \
	X(351, FK_INT, "vphaddsw %ymm1,%ymm2,%ymm0") \
	X(352, FK_INT, "vphaddsw 32(%rbx),%ymm2,%ymm3") \
	X(353, FK_INT, "vphsubw %ymm1,%ymm2,%ymm0") \
	X(354, FK_INT, "vphsubw 32(%rbx),%ymm2,%ymm3") \
	X(355, FK_INT, "vphsubd %ymm1,%ymm2,%ymm0") \
	X(356, FK_INT, "vphsubd 32(%rbx),%ymm2,%ymm3") \
	X(357, FK_INT, "vphsubsw %ymm1,%ymm2,%ymm0") \
	X(358, FK_INT, "vphsubsw 32(%rbx),%ymm2,%ymm3") \
	X(359, FK_INT, "vpunpcklbw %ymm1,%ymm2,%ymm0") \
	X(360, FK_INT, "vpunpcklbw 32(%rbx),%ymm2,%ymm3") \
	X(361, FK_INT, "vpunpcklwd %ymm1,%ymm2,%ymm0") \
	X(362, FK_INT, "vpunpcklwd 32(%rbx),%ymm2,%ymm3") \
	X(363, FK_INT, "vpunpckldq %ymm1,%ymm2,%ymm0") \
	X(364, FK_INT, "vpunpckldq 32(%rbx),%ymm2,%ymm3") \
	X(365, FK_INT, "vpunpcklqdq %ymm1,%ymm2,%ymm0") \
	X(366, FK_INT, "vpunpcklqdq 32(%rbx),%ymm2,%ymm3") \
	X(367, FK_INT, "vpunpckhbw %ymm1,%ymm2,%ymm0") \
	X(368, FK_INT, "vpunpckhbw 32(%rbx),%ymm2,%ymm3") \
	X(369, FK_INT, "vpunpckhwd %ymm1,%ymm2,%ymm0") \
	X(370, FK_INT, "vpunpckhwd 32(%rbx),%ymm2,%ymm3") \
	X(371, FK_INT, "vpunpckhdq %ymm1,%ymm2,%ymm0") \
	X(372, FK_INT, "vpunpckhdq 32(%rbx),%ymm2,%ymm3") \
	X(373, FK_INT, "vpunpckhqdq %ymm1,%ymm2,%ymm0") \
	X(374, FK_INT, "vpunpckhqdq 32(%rbx),%ymm2,%ymm3") \
	X(375, FK_INT, "vpacksswb %ymm1,%ymm2,%ymm0") \
	X(376, FK_INT, "vpacksswb 32(%rbx),%ymm2,%ymm3") \
	X(377, FK_INT, "vpackssdw %ymm1,%ymm2,%ymm0") \
	X(378, FK_INT, "vpackssdw 32(%rbx),%ymm2,%ymm3") \
	X(379, FK_INT, "vpackuswb %ymm1,%ymm2,%ymm0") \
	X(380, FK_INT, "vpackuswb 32(%rbx),%ymm2,%ymm3") \
	X(381, FK_INT, "vpackusdw %ymm1,%ymm2,%ymm0") \
	X(382, FK_INT, "vpackusdw 32(%rbx),%ymm2,%ymm3") \
	X(383, FK_SHIFT, "vpsllw %xmm1,%ymm2,%ymm0") \
	X(384, FK_SHIFT, "vpsllw 16(%rbx),%ymm2,%ymm3") \
	X(385, FK_SHIFT, "vpslld %xmm1,%ymm2,%ymm0") \
	X(386, FK_SHIFT, "vpslld 16(%rbx),%ymm2,%ymm3") \
	X(387, FK_SHIFT, "vpsllq %xmm1,%ymm2,%ymm0") \
	X(388, FK_SHIFT, "vpsllq 16(%rbx),%ymm2,%ymm3") \
	X(389, FK_SHIFT, "vpsrlw %xmm1,%ymm2,%ymm0") \
	X(390, FK_SHIFT, "vpsrlw 16(%rbx),%ymm2,%ymm3") \
	X(391, FK_SHIFT, "vpsrld %xmm1,%ymm2,%ymm0") \
	X(392, FK_SHIFT, "vpsrld 16(%rbx),%ymm2,%ymm3") \
	X(393, FK_SHIFT, "vpsrlq %xmm1,%ymm2,%ymm0") \
	X(394, FK_SHIFT, "vpsrlq 16(%rbx),%ymm2,%ymm3") \
	X(395, FK_SHIFT, "vpsraw %xmm1,%ymm2,%ymm0") \
	X(396, FK_SHIFT, "vpsraw 16(%rbx),%ymm2,%ymm3") \
	X(397, FK_SHIFT, "vpsrad %xmm1,%ymm2,%ymm0") \
	X(398, FK_SHIFT, "vpsrad 16(%rbx),%ymm2,%ymm3") \
	X(399, FK_INT, "vpabsb %ymm1,%ymm0") \
	X(400, FK_INT, "vpabsd (%rbx),%ymm2") \
	X(401, FK_INT, "vpalignr $9,%ymm1,%ymm2,%ymm0") \
	X(402, FK_INT, "vpalignr $20,(%rbx),%ymm2,%ymm3") \
	X(403, FK_INT, "vpshufd $0x4e,(%rbx),%ymm2") \
	X(404, FK_INT, "vpshufhw $0x1b,%ymm1,%ymm0") \
	X(405, FK_INT, "vpshuflw $0x93,(%rbx),%ymm2") \
	X(406, FK_INT, "vpsllw $5,%ymm1,%ymm0") \
	X(407, FK_INT, "vpsrad $9,%ymm1,%ymm0") \
	X(408, FK_INT, "vpsllq $40,%ymm1,%ymm0") \
	X(409, FK_INT, "vpsrldq $6,%ymm1,%ymm0") \
	X(410, FK_INT, "vpmovsxbd %xmm1,%ymm0") \
	X(411, FK_INT, "vpmovsxbq (%rbx),%ymm0") \
	X(412, FK_INT, "vpmovsxwd %xmm1,%ymm0") \
	X(413, FK_INT, "vpmovsxwq (%rbx),%ymm0") \
	X(414, FK_INT, "vpmovsxdq %xmm1,%ymm0") \
	X(415, FK_INT, "vpmovzxbw (%rbx),%ymm0") \
	X(416, FK_INT, "vpmovzxbd %xmm1,%ymm0") \
	X(417, FK_INT, "vpmovzxbq %xmm1,%ymm0") \
	X(418, FK_INT, "vpmovzxwd (%rbx),%ymm0") \
	X(419, FK_INT, "vpmovzxwq %xmm1,%ymm0") \
	X(420, FK_INT, "vpblendw $0x96,(%rbx),%ymm2,%ymm3") \
	X(421, FK_INT, "vmpsadbw $0x12,(%rbx),%ymm2,%ymm3") \
	X(422, FK_INT, "vmovntdqa (%rbx),%ymm4") \
	X(423, FK_INT, "vptest (%rbx),%ymm2") \
	X(424, FK_INT, "vpmovmskb %ymm2,%ecx") \
	X(425, FK_INT, "vpcmpgtq %xmm1,%xmm2,%xmm0") \
	X(426, FK_INT, "pcmpgtq %xmm1,%xmm0") \
	X(427, FK_INT, "pcmpgtq (%rbx),%xmm2") \
	X(428, FK_INT, "aesenc %xmm1,%xmm0") \
	X(429, FK_INT, "aesenc 16(%rbx),%xmm2") \
	X(430, FK_INT, "vaesenc %xmm1,%xmm2,%xmm0") \
	X(431, FK_INT, "vaesenc (%rbx),%xmm2,%xmm3") \
	X(432, FK_INT, "aesenclast %xmm1,%xmm0") \
	X(433, FK_INT, "aesenclast 16(%rbx),%xmm2") \
	X(434, FK_INT, "vaesenclast %xmm1,%xmm2,%xmm0") \
	X(435, FK_INT, "vaesenclast (%rbx),%xmm2,%xmm3") \
	X(436, FK_INT, "aesdec %xmm1,%xmm0") \
	X(437, FK_INT, "aesdec 16(%rbx),%xmm2") \
	X(438, FK_INT, "vaesdec %xmm1,%xmm2,%xmm0") \
	X(439, FK_INT, "vaesdec (%rbx),%xmm2,%xmm3") \
	X(440, FK_INT, "aesdeclast %xmm1,%xmm0") \
	X(441, FK_INT, "aesdeclast 16(%rbx),%xmm2") \
	X(442, FK_INT, "vaesdeclast %xmm1,%xmm2,%xmm0") \
	X(443, FK_INT, "vaesdeclast (%rbx),%xmm2,%xmm3") \
	X(444, FK_INT, "aesimc %xmm1,%xmm0") \
	X(445, FK_INT, "aesimc (%rbx),%xmm2") \
	X(446, FK_INT, "vaesimc %xmm1,%xmm0") \
	X(447, FK_INT, "aeskeygenassist $0,%xmm1,%xmm0") \
	X(448, FK_INT, "aeskeygenassist $1,%xmm1,%xmm0") \
	X(449, FK_INT, "aeskeygenassist $27,%xmm1,%xmm0") \
	X(450, FK_INT, "aeskeygenassist $54,%xmm1,%xmm0") \
	X(451, FK_INT, "aeskeygenassist $128,%xmm1,%xmm0") \
	X(452, FK_INT, "vaeskeygenassist $0x40,(%rbx),%xmm2") \
	X(453, FK_INT, "pclmulqdq $0,%xmm1,%xmm0") \
	X(454, FK_INT, "vpclmulqdq $0,(%rbx),%xmm2,%xmm3") \
	X(455, FK_INT, "pclmulqdq $1,%xmm1,%xmm0") \
	X(456, FK_INT, "vpclmulqdq $1,(%rbx),%xmm2,%xmm3") \
	X(457, FK_INT, "pclmulqdq $16,%xmm1,%xmm0") \
	X(458, FK_INT, "vpclmulqdq $16,(%rbx),%xmm2,%xmm3") \
	X(459, FK_INT, "pclmulqdq $17,%xmm1,%xmm0") \
	X(460, FK_INT, "vpclmulqdq $17,(%rbx),%xmm2,%xmm3") \
	X(461, FK_STR, "pcmpestri $0x0,%xmm1,%xmm2") \
	X(462, FK_STR, "pcmpestrm $0x0,%xmm1,%xmm2") \
	X(463, FK_STR, "pcmpistri $0x0,%xmm1,%xmm2") \
	X(464, FK_STR, "pcmpistrm $0x0,%xmm1,%xmm2") \
	X(465, FK_STR, "pcmpestri $0x1,%xmm1,%xmm2") \
	X(466, FK_STR, "pcmpestrm $0x1,%xmm1,%xmm2") \
	X(467, FK_STR, "pcmpistri $0x1,%xmm1,%xmm2") \
	X(468, FK_STR, "pcmpistrm $0x1,%xmm1,%xmm2") \
	X(469, FK_STR, "pcmpestri $0x2,%xmm1,%xmm2") \
	X(470, FK_STR, "pcmpestrm $0x2,%xmm1,%xmm2") \
	X(471, FK_STR, "pcmpistri $0x2,%xmm1,%xmm2") \
	X(472, FK_STR, "pcmpistrm $0x2,%xmm1,%xmm2") \
	X(473, FK_STR, "pcmpestri $0x3,%xmm1,%xmm2") \
	X(474, FK_STR, "pcmpestrm $0x3,%xmm1,%xmm2") \
	X(475, FK_STR, "pcmpistri $0x3,%xmm1,%xmm2") \
	X(476, FK_STR, "pcmpistrm $0x3,%xmm1,%xmm2") \
	X(477, FK_STR, "pcmpestri $0x4,%xmm1,%xmm2") \
	X(478, FK_STR, "pcmpestrm $0x4,%xmm1,%xmm2") \
	X(479, FK_STR, "pcmpistri $0x4,%xmm1,%xmm2") \
	X(480, FK_STR, "pcmpistrm $0x4,%xmm1,%xmm2") \
	X(481, FK_STR, "pcmpestri $0x5,%xmm1,%xmm2") \
	X(482, FK_STR, "pcmpestrm $0x5,%xmm1,%xmm2") \
	X(483, FK_STR, "pcmpistri $0x5,%xmm1,%xmm2") \
	X(484, FK_STR, "pcmpistrm $0x5,%xmm1,%xmm2") \
	X(485, FK_STR, "pcmpestri $0x8,%xmm1,%xmm2") \
	X(486, FK_STR, "pcmpestrm $0x8,%xmm1,%xmm2") \
	X(487, FK_STR, "pcmpistri $0x8,%xmm1,%xmm2") \
	X(488, FK_STR, "pcmpistrm $0x8,%xmm1,%xmm2") \
	X(489, FK_STR, "pcmpestri $0x9,%xmm1,%xmm2") \
	X(490, FK_STR, "pcmpestrm $0x9,%xmm1,%xmm2") \
	X(491, FK_STR, "pcmpistri $0x9,%xmm1,%xmm2") \
	X(492, FK_STR, "pcmpistrm $0x9,%xmm1,%xmm2") \
	X(493, FK_STR, "pcmpestri $0xc,%xmm1,%xmm2") \
	X(494, FK_STR, "pcmpestrm $0xc,%xmm1,%xmm2") \
	X(495, FK_STR, "pcmpistri $0xc,%xmm1,%xmm2") \
	X(496, FK_STR, "pcmpistrm $0xc,%xmm1,%xmm2") \
	X(497, FK_STR, "pcmpestri $0xd,%xmm1,%xmm2") \
	X(498, FK_STR, "pcmpestrm $0xd,%xmm1,%xmm2") \
	X(499, FK_STR, "pcmpistri $0xd,%xmm1,%xmm2") \
	X(500, FK_STR, "pcmpistrm $0xd,%xmm1,%xmm2") \
	X(501, FK_STR, "pcmpestri $0x10,%xmm1,%xmm2") \
	X(502, FK_STR, "pcmpestrm $0x10,%xmm1,%xmm2") \
	X(503, FK_STR, "pcmpistri $0x10,%xmm1,%xmm2") \
	X(504, FK_STR, "pcmpistrm $0x10,%xmm1,%xmm2") \
	X(505, FK_STR, "pcmpestri $0x14,%xmm1,%xmm2") \
	X(506, FK_STR, "pcmpestrm $0x14,%xmm1,%xmm2") \
	X(507, FK_STR, "pcmpistri $0x14,%xmm1,%xmm2") \
	X(508, FK_STR, "pcmpistrm $0x14,%xmm1,%xmm2") \
	X(509, FK_STR, "pcmpestri $0x18,%xmm1,%xmm2") \
	X(510, FK_STR, "pcmpestrm $0x18,%xmm1,%xmm2") \
	X(511, FK_STR, "pcmpistri $0x18,%xmm1,%xmm2") \
	X(512, FK_STR, "pcmpistrm $0x18,%xmm1,%xmm2") \
	X(513, FK_STR, "pcmpestri $0x1c,%xmm1,%xmm2") \
	X(514, FK_STR, "pcmpestrm $0x1c,%xmm1,%xmm2") \
	X(515, FK_STR, "pcmpistri $0x1c,%xmm1,%xmm2") \
	X(516, FK_STR, "pcmpistrm $0x1c,%xmm1,%xmm2") \
	X(517, FK_STR, "pcmpestri $0x30,%xmm1,%xmm2") \
	X(518, FK_STR, "pcmpestrm $0x30,%xmm1,%xmm2") \
	X(519, FK_STR, "pcmpistri $0x30,%xmm1,%xmm2") \
	X(520, FK_STR, "pcmpistrm $0x30,%xmm1,%xmm2") \
	X(521, FK_STR, "pcmpestri $0x34,%xmm1,%xmm2") \
	X(522, FK_STR, "pcmpestrm $0x34,%xmm1,%xmm2") \
	X(523, FK_STR, "pcmpistri $0x34,%xmm1,%xmm2") \
	X(524, FK_STR, "pcmpistrm $0x34,%xmm1,%xmm2") \
	X(525, FK_STR, "pcmpestri $0x38,%xmm1,%xmm2") \
	X(526, FK_STR, "pcmpestrm $0x38,%xmm1,%xmm2") \
	X(527, FK_STR, "pcmpistri $0x38,%xmm1,%xmm2") \
	X(528, FK_STR, "pcmpistrm $0x38,%xmm1,%xmm2") \
	X(529, FK_STR, "pcmpestri $0x3c,%xmm1,%xmm2") \
	X(530, FK_STR, "pcmpestrm $0x3c,%xmm1,%xmm2") \
	X(531, FK_STR, "pcmpistri $0x3c,%xmm1,%xmm2") \
	X(532, FK_STR, "pcmpistrm $0x3c,%xmm1,%xmm2") \
	X(533, FK_STR, "pcmpestri $0x40,%xmm1,%xmm2") \
	X(534, FK_STR, "pcmpestrm $0x40,%xmm1,%xmm2") \
	X(535, FK_STR, "pcmpistri $0x40,%xmm1,%xmm2") \
	X(536, FK_STR, "pcmpistrm $0x40,%xmm1,%xmm2") \
	X(537, FK_STR, "pcmpestri $0x44,%xmm1,%xmm2") \
	X(538, FK_STR, "pcmpestrm $0x44,%xmm1,%xmm2") \
	X(539, FK_STR, "pcmpistri $0x44,%xmm1,%xmm2") \
	X(540, FK_STR, "pcmpistrm $0x44,%xmm1,%xmm2") \
	X(541, FK_STR, "pcmpestri $0x48,%xmm1,%xmm2") \
	X(542, FK_STR, "pcmpestrm $0x48,%xmm1,%xmm2") \
	X(543, FK_STR, "pcmpistri $0x48,%xmm1,%xmm2") \
	X(544, FK_STR, "pcmpistrm $0x48,%xmm1,%xmm2") \
	X(545, FK_STR, "pcmpestri $0x4c,%xmm1,%xmm2") \
	X(546, FK_STR, "pcmpestrm $0x4c,%xmm1,%xmm2") \
	X(547, FK_STR, "pcmpistri $0x4c,%xmm1,%xmm2") \
	X(548, FK_STR, "pcmpistrm $0x4c,%xmm1,%xmm2") \
	X(549, FK_STR, "pcmpestri $0x70,%xmm1,%xmm2") \
	X(550, FK_STR, "pcmpestrm $0x70,%xmm1,%xmm2") \
	X(551, FK_STR, "pcmpistri $0x70,%xmm1,%xmm2") \
	X(552, FK_STR, "pcmpistrm $0x70,%xmm1,%xmm2") \
	X(553, FK_STR, "pcmpestri $0x74,%xmm1,%xmm2") \
	X(554, FK_STR, "pcmpestrm $0x74,%xmm1,%xmm2") \
	X(555, FK_STR, "pcmpistri $0x74,%xmm1,%xmm2") \
	X(556, FK_STR, "pcmpistrm $0x74,%xmm1,%xmm2") \
	X(557, FK_STR, "pcmpestri $0x7c,%xmm1,%xmm2") \
	X(558, FK_STR, "pcmpestrm $0x7c,%xmm1,%xmm2") \
	X(559, FK_STR, "pcmpistri $0x7c,%xmm1,%xmm2") \
	X(560, FK_STR, "pcmpistrm $0x7c,%xmm1,%xmm2") \
	X(561, FK_STR, "pcmpestri $0xe,%xmm1,%xmm2") \
	X(562, FK_STR, "pcmpestrm $0xe,%xmm1,%xmm2") \
	X(563, FK_STR, "pcmpistri $0xe,%xmm1,%xmm2") \
	X(564, FK_STR, "pcmpistrm $0xe,%xmm1,%xmm2") \
	X(565, FK_STR, "pcmpestri $0x3a,%xmm1,%xmm2") \
	X(566, FK_STR, "pcmpestrm $0x3a,%xmm1,%xmm2") \
	X(567, FK_STR, "pcmpistri $0x3a,%xmm1,%xmm2") \
	X(568, FK_STR, "pcmpistrm $0x3a,%xmm1,%xmm2") \
	X(569, FK_STR, "pcmpestri $0x4b,%xmm1,%xmm2") \
	X(570, FK_STR, "pcmpestrm $0x4b,%xmm1,%xmm2") \
	X(571, FK_STR, "pcmpistri $0x4b,%xmm1,%xmm2") \
	X(572, FK_STR, "pcmpistrm $0x4b,%xmm1,%xmm2") \
	X(573, FK_STR, "pcmpestri $0x1a,%xmm1,%xmm2") \
	X(574, FK_STR, "pcmpestrm $0x1a,%xmm1,%xmm2") \
	X(575, FK_STR, "pcmpistri $0x1a,%xmm1,%xmm2") \
	X(576, FK_STR, "pcmpistrm $0x1a,%xmm1,%xmm2") \
	X(577, FK_STR, "pcmpestri $0x2d,%xmm1,%xmm2") \
	X(578, FK_STR, "pcmpestrm $0x2d,%xmm1,%xmm2") \
	X(579, FK_STR, "pcmpistri $0x2d,%xmm1,%xmm2") \
	X(580, FK_STR, "pcmpistrm $0x2d,%xmm1,%xmm2") \
	X(581, FK_STR, "pcmpestri $0x0c,(%rbx),%xmm2") \
	X(582, FK_STR, "pcmpistrm $0x44,16(%rbx),%xmm2") \
	X(583, FK_STR, "vpcmpestrm $0x48,%xmm1,%xmm2") \
	X(584, FK_STR, "vpcmpistri $0x18,3(%rbx),%xmm2") \
	X(585, FK_STR, "vpcmpestri $0x0c,%xmm1,%xmm2") \
	X(586, FK_STR, "vpcmpistrm $0x40,%xmm1,%xmm2") \
	X(587, FK_STR, "pcmpestri $0x0d,%xmm1,%xmm2") \
	X(588, FK_STR, ".byte 0x66,0x48,0x0f,0x3a,0x61,0xd1,0x0c")

#define DEF(id, k, t) FP_FORM(id, t);
AVX_FORMS(DEF)

static const struct fp_form avx_forms[] = {
#define ROW(id, k, t) FP_ROW(id, k, t),
	AVX_FORMS(ROW)
};

#ifndef FP_CASES
#define FP_CASES 200
#endif

static int64_t small(int64_t span)
{
	return (int64_t)(fp_rnd() % (uint64_t)(2 * span + 1)) - span;
}

/* Register tweaks per generator: string lengths in EAX/EDX, gather
 * indices that stay inside the 128-byte buffer at 64(%rbx). */
static void prep(struct fp_image *img, int kind)
{
	if (kind == FK_STR) {
		for (unsigned r = 0; r < 3; r += 2)
			img->gpr[r] = fp_rnd() % 8 ? (uint64_t)small(20) :
				      fp_rnd() % 2 ? 0x80000000u :
				      0x8000000000000000ull | fp_rnd() % 4;
	}
	if (kind == FK_GATHER) {
		for (unsigned i = 0; i < 8; i++) {
			int32_t d = (int32_t)small(7);

			memcpy(&img->ymm[1][4 * i], &d, 4);
		}
		for (unsigned i = 0; i < 4; i++) {
			int64_t q = small(7);
			uint64_t u = fp_rnd() % 15;

			memcpy(&img->ymm[3][8 * i], &q, 8);
			memcpy(&img->ymm[13][8 * i], &u, 8);
		}
	}
}

/* CPUID bits the forms need (SDM Vol. 2A, CPUID Tables 3-10, 3-11). */
static bool host_has_all(void)
{
	unsigned a, b, c, d, b7;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return false;
	if (!(c & bit_SSE4_2) || !(c & bit_AES) || !(c & bit_PCLMUL) ||
	    !(c & bit_FMA) || !(c & bit_F16C) || !(c & bit_AVX))
		return false;
	if (!__get_cpuid_count(7, 0, &a, &b7, &c, &d))
		return false;
	return (b7 & bit_AVX2) != 0;
}

TEST(emu_fp_avx_forms)
{
	if (!host_has_all()) {
		test_skip("host without AVX2/FMA/F16C/AES/PCLMUL/SSE4.2");
		return;
	}
	EXPECT_EQ(0, fp_run_forms(avx_forms, sizeof(avx_forms) / sizeof(avx_forms[0]),
				 FP_CASES, prep));
}

/* ---------------------------------------------------------------- */
/* Engine-only encodings the host would fault on. */

FP_FORM(u_permil_w1, ".byte 0xc4,0xe2,0xe9,0x0c,0xc1");  /* VEX.W1 */
FP_FORM(u_bcastsd_l0, ".byte 0xc4,0xe2,0x79,0x19,0xc1"); /* VEX.L0 */
FP_FORM(u_permq_w0, ".byte 0xc4,0xe3,0x7d,0x00,0xc1,0x1b");
FP_FORM(u_gather_same, ".byte 0xc4,0xe2,0x6d,0x92,0x0c,0x8b");
FP_FORM(u_gather_nosib, ".byte 0xc4,0xe2,0x6d,0x92,0x0b");
FP_FORM(u_vaes256, ".byte 0xc4,0xe2,0x6d,0xdc,0xc1");
FP_FORM(u_bcast_vvvv, ".byte 0xc4,0xe2,0x69,0x18,0xc1");
FP_FORM(u_66_vex, ".byte 0x66,0xc5,0xf8,0x58,0xc1");
FP_FORM(u_rex_vex, ".byte 0x41,0xc5,0xf8,0x58,0xc1");
FP_FORM(u_f3_vex, ".byte 0xf3,0xc5,0xf8,0x58,0xc1");
FP_FORM(u_psravq, ".byte 0xc4,0xe2,0xe9,0x46,0xc1");
FP_FORM(u_pcmpstr256, ".byte 0xc4,0xe3,0x7d,0x61,0xd1,0x0c");
FP_FORM(u_pclmul256, ".byte 0xc4,0xe3,0x6d,0x44,0xc1,0x00");
FP_FORM(u_fma, "vfmadd231ps %ymm1,%ymm2,%ymm0");
FP_FORM(u_gather_pf, "vpgatherdd %ymm2,(%rbx,%ymm1,4),%ymm0");

static int run_engine(const struct fp_form *f, struct fp_image *img)
{
	static uint8_t mem[FP_MEM];

	return fp_engine(f, img, mem);
}

static int exc_of(const struct fp_form *f, uint64_t cr0, uint64_t cr4_clear,
		  uint64_t xcr0)
{
	struct fp_image img;
	int v;

	fp_random_image(&img, FK_INT);
	fp_cr0_set = cr0;
	fp_cr4_clear = cr4_clear;
	fp_xcr0 = xcr0;
	v = run_engine(f, &img);
	fp_cr0_set = fp_cr4_clear = 0;
	fp_xcr0 = 7;
	return v;
}

#define F(id) &(const struct fp_form)FP_ROW(id, FK_INT, #id)

TEST(emu_fp_avx_ud_rules)
{
	EXPECT_EQ(EXC_UD, exc_of(F(u_permil_w1), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_bcastsd_l0), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_permq_w0), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_gather_same), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_gather_nosib), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_vaes256), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_bcast_vvvv), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_66_vex), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_rex_vex), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_f3_vex), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_psravq), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_pcmpstr256), 0, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(F(u_pclmul256), 0, 0, 7));
	/* XCR0 without AVX state, CR4.OSXSAVE clear, CR0.TS. */
	EXPECT_EQ(EXC_UD, exc_of(F(u_fma), 0, 0, 3));
	EXPECT_EQ(EXC_UD, exc_of(F(u_fma), 0, 1u << 18, 7));
	EXPECT_EQ(EXC_NM, exc_of(F(u_fma), 1u << 3, 0, 7));
	EXPECT_EQ(-1, exc_of(F(u_fma), 0, 0, 7));
}

/* A gather that faults on element 1 has loaded element 0 and cleared
 * only its mask element (SDM Vol. 2C, VPGATHERDD). */
TEST(emu_fp_gather_fault)
{
	struct fp_image img;
	uint32_t idx[8] = { 1, 0x80000, 2, 3, 4, 5, 6, 7 };
	uint32_t m[8], d[8];

	fp_random_image(&img, FK_INT);
	memcpy(img.ymm[1], idx, 32);
	memset(img.ymm[2], 0xff, 32);
	EXPECT_EQ(EXC_PF, run_engine(F(u_gather_pf), &img));
	memcpy(m, img.ymm[2], 32);
	memcpy(d, img.ymm[0], 32);
	EXPECT_EQ(0u, m[0]);
	EXPECT_EQ(0xffffffffu, m[1]);
	EXPECT_EQ(0xffffffffu, m[7]);
	EXPECT_EQ(*(uint32_t *)(mock_mem + FP_DATA + 4), d[0]);
}

/* VZEROUPPER/VZEROALL outside 64-bit mode touch YMM0-7 only; YMM8-15
 * keep all their bits (SDM Vol. 2C, VZEROALL and VZEROUPPER). In 64-bit
 * mode all sixteen are zeroed (the differential forms above). */
FP_FORM(z_upper, "vzeroupper");
FP_FORM(z_all, "vzeroall");

static int run_in_mode(const struct fp_form *f, struct fp_image *img,
		       enum emu_mode mode)
{
	mock_cpu_init(&fp_cpu, mode, FP_CODE, 0x80000);
	if (mode == MODE_COMPAT)
		fp_cpu.efer = 0x500;
	fp_cpu.cr0 |= 0x20;
	fp_cpu.cr4 = (1u << 9) | (1u << 10) | (1u << 18);
	fp_cpu.xcr0 = 7;
	memcpy(mock_mem + FP_CODE, f->code, (size_t)(f->code_end - f->code));
	fp_to_engine(img);
	mock_run(&fp_cpu, 10);
	fp_from_engine(img);
	return mock_exc;
}

/* Zero bytes of ymm[r] from byte `from` up, on the expected pattern
 * (all 0xa5 before the run). */
static bool zeroed_from(const struct fp_image *img, unsigned r,
			unsigned from)
{
	for (unsigned i = 0; i < 32; i++)
		if (img->ymm[r][i] != (i < from ? 0xa5 : 0))
			return false;
	return true;
}

static void check_vzero(const struct fp_form *f, enum emu_mode mode,
			unsigned from)
{
	struct fp_image img;
	unsigned n = mode == MODE_LONG ? 16 : 8;

	fp_random_image(&img, FK_INT);
	memset(img.ymm, 0xa5, sizeof(img.ymm));
	EXPECT_EQ(-1, run_in_mode(f, &img, mode));
	for (unsigned r = 0; r < 16; r++)
		EXPECT_TRUE(zeroed_from(&img, r, r < n ? from : 32));
}

TEST(emu_fp_vzero_modes)
{
	static const enum emu_mode modes[] = { MODE_PROT32, MODE_COMPAT,
					       MODE_LONG };

	for (unsigned m = 0; m < 3; m++) {
		check_vzero(F(z_upper), modes[m], 16);
		check_vzero(F(z_all), modes[m], 0);
	}
}
