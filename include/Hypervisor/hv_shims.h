/* SPDX-License-Identifier: MIT */
/* Not an Apple header: stands in for what the Apple-named headers take from
 * os/, mach/, sys/cdefs.h and Kernel/kern/hv_io_notifier.h (fact sheet §1). */

#ifndef __HYPERVISOR_HV_SHIMS__
#define __HYPERVISOR_HV_SHIMS__

/* Fixed-underlying-type enums (`enum x : uint32_t`) exist in C++11 and C23
 * only; elsewhere a plain enum of the same 4-byte size stands in (§1). */
#if (defined(__cplusplus) && __cplusplus >= 201103L) || \
	(defined(__STDC_VERSION__) && __STDC_VERSION__ >= 202311L)
#define __HV_HAS_FIXED_ENUM 1
#endif

/* On Apple systems the real headers provide all of it. */
#ifdef __APPLE__

#include <os/availability.h>
#include <os/base.h>
#include <sys/cdefs.h>
#include <sys/types.h>
#include <mach/error.h>
#include <mach/message.h>
#include <mach/mach_port.h>
#include <Kernel/kern/hv_io_notifier.h>

#else /* !__APPLE__ */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Each macro below is defined only if the includer has not defined it. */

/* <sys/cdefs.h> */
#ifndef __BEGIN_DECLS
#ifdef __cplusplus
#define __BEGIN_DECLS extern "C" {
#else
#define __BEGIN_DECLS
#endif
#endif
#ifndef __END_DECLS
#ifdef __cplusplus
#define __END_DECLS }
#else
#define __END_DECLS
#endif
#endif

/* <os/availability.h>: availability and deprecation annotations expand to
 * nothing (no deployment-target concept here). */
#ifndef API_AVAILABLE
#define API_AVAILABLE(...)
#endif
#ifndef API_UNAVAILABLE
#define API_UNAVAILABLE(...)
#endif
#ifndef API_DEPRECATED
#define API_DEPRECATED(...)
#endif
#ifndef __API_AVAILABLE
#define __API_AVAILABLE(...)
#endif
#ifndef __API_UNAVAILABLE
#define __API_UNAVAILABLE(...)
#endif
#ifndef __API_DEPRECATED
#define __API_DEPRECATED(...)
#endif

/* Clang's nullability qualifiers; other compilers get empty stand-ins. */
#if defined(__has_feature)
#if __has_feature(nullability)
#define __HV_HAS_NULLABILITY 1
#endif
#if __has_feature(assume_nonnull)
#define __HV_HAS_ASSUME_NONNULL 1
#endif
#endif

#ifndef __HV_HAS_NULLABILITY
#ifndef _Nullable
#define _Nullable
#endif
#ifndef _Nonnull
#define _Nonnull
#endif
#ifndef _Null_unspecified
#define _Null_unspecified
#endif
#endif

/* <os/base.h>. As on Apple, clang then treats the headers' unannotated
 * pointer parameters as _Nonnull (-Wnonnull on a literal NULL argument); a
 * client may define both macros empty (-DOS_ASSUME_NONNULL_BEGIN=
 * -DOS_ASSUME_NONNULL_END=) to drop that assumption. */
#ifndef OS_ASSUME_NONNULL_BEGIN
#ifdef __HV_HAS_ASSUME_NONNULL
#define OS_ASSUME_NONNULL_BEGIN _Pragma("clang assume_nonnull begin")
#else
#define OS_ASSUME_NONNULL_BEGIN
#endif
#endif
#ifndef OS_ASSUME_NONNULL_END
#ifdef __HV_HAS_ASSUME_NONNULL
#define OS_ASSUME_NONNULL_END _Pragma("clang assume_nonnull end")
#else
#define OS_ASSUME_NONNULL_END
#endif
#endif

#undef __HV_HAS_NULLABILITY
#undef __HV_HAS_ASSUME_NONNULL

#ifndef OS_EXPORT
#if defined(__GNUC__)
#define OS_EXPORT extern __attribute__((__visibility__("default")))
#else
#define OS_EXPORT extern
#endif
#endif

#ifndef __OS_ENUM_ATTR_CLOSED
#if defined(__has_attribute)
#if __has_attribute(enum_extensibility)
#define __OS_ENUM_ATTR_CLOSED __attribute__((__enum_extensibility__(closed)))
#endif
#endif
#endif
#ifndef __OS_ENUM_ATTR_CLOSED
#define __OS_ENUM_ATTR_CLOSED
#endif

/* OS_ENUM(name, type, ...) declares the constants and `name_t`, a type of
 * exactly `type`'s size: an enum with that fixed underlying type where the
 * language has them, else an anonymous enum plus `typedef type name_t`. */
#ifndef OS_ENUM
#ifdef __HV_HAS_FIXED_ENUM
#define OS_ENUM(name_, type_, ...) \
	typedef enum : type_ { __VA_ARGS__ } name_##_t
#else
#define OS_ENUM(name_, type_, ...) \
	enum { __VA_ARGS__ }; typedef type_ name_##_t
#endif
#endif

/* <mach/error.h>: error-code fields (system 6 bits, subsystem 12 bits). */
#ifndef err_system
#ifdef __cplusplus
#define err_system(x) \
	(static_cast<signed>((static_cast<unsigned>(x) & 0x3f) << 26))
#else
#define err_system(x) ((signed)((((unsigned)(x)) & 0x3f) << 26))
#endif
#endif
#ifndef err_sub
#define err_sub(x) (((x) & 0xfff) << 14)
#endif
#ifndef err_local
#define err_local err_system(0x3e)
#endif

/* Mach types. A client that already has them from its own copy of the Mach
 * header keeps its definitions: each group is skipped when the include
 * guard of the Apple header that normally provides it is defined. */
#ifndef _MACH_KERN_RETURN_H_
typedef int kern_return_t;
#endif
#ifndef _MACH_ERROR_H_
typedef kern_return_t mach_error_t;
#endif
#ifndef _MACH_PORT_T
typedef unsigned int mach_port_t;
#endif
#ifndef _MACH_PORT_H_
typedef unsigned int mach_port_name_t;
#endif

#ifndef _MACH_MESSAGE_H_
typedef unsigned int mach_msg_bits_t;
typedef unsigned int mach_msg_size_t;
typedef int mach_msg_id_t;
typedef unsigned int mach_msg_trailer_type_t;
typedef unsigned int mach_msg_trailer_size_t;

typedef struct {			/* 24 bytes (§1) */
	mach_msg_bits_t msgh_bits;
	mach_msg_size_t msgh_size;
	mach_port_t msgh_remote_port;
	mach_port_t msgh_local_port;
	mach_port_name_t msgh_voucher_port;
	mach_msg_id_t msgh_id;
} mach_msg_header_t;

typedef struct {			/* 8 bytes (§1) */
	mach_msg_trailer_type_t msgh_trailer_type;
	mach_msg_trailer_size_t msgh_trailer_size;
} mach_msg_trailer_t;
#endif

/* <Kernel/kern/hv_io_notifier.h>: port-I/O notifier flags (§3.2). */
#ifndef kHV_ION_NONE
#define kHV_ION_NONE (0u << 0)
#endif
#ifndef kHV_ION_ANY_VALUE
#define kHV_ION_ANY_VALUE (1u << 1)
#endif
#ifndef kHV_ION_ANY_SIZE
#define kHV_ION_ANY_SIZE (1u << 2)
#endif
#ifndef kHV_ION_EXIT_FULL
#define kHV_ION_EXIT_FULL (1u << 3)
#endif

#endif /* __APPLE__ */

#endif /* __HYPERVISOR_HV_SHIMS__ */
