/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Network addresses for output: "10.0.0.1", "fd00::1", and the family's name. */
#ifndef TRACERHUB_RENDER_ADDR_H
#define TRACERHUB_RENDER_ADDR_H

#include <stddef.h>
#include <linux/types.h>

/*
 * Write the address of family (AF_INET: 4 bytes, AF_INET6: 16 bytes, network
 * order) at addr into buf as text. Returns buf; "?" for another family or a
 * buffer too small.
 */
const char *addr__format(char *buf, size_t len, __u16 family, const __u8 *addr);
/* "ipv4", "ipv6", or "?" for another family. */
const char *addr__family(__u16 family);

#endif
