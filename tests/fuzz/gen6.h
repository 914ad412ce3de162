/* SPDX-License-Identifier: GPL-2.0 */
/* The IPv6 generator's shared pieces (gen6.c, mut6.c). */
#ifndef XLBF_GEN6_H
#define XLBF_GEN6_H

#include <stddef.h>
#include <linux/types.h>
#include "fuzz.h"

/* n random bytes at p. */
void fz6_fill(struct fz_gen *g, unsigned char *p, unsigned int n);
/* Append to the description d (n bytes, NUL-terminated). */
void fz6_dadd(char *d, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An extension header's length in bytes, from its type and length
 * field (fragment: 8; AH: 4-byte units). */
static inline unsigned int fz6_ext_bytes(__u8 type, __u8 len)
{
	if (type == 44)
		return 8;
	if (type == 51)
		return (len + 2) * 4;
	return (len + 1) * 8;
}

#endif
