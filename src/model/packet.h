/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A captured packet, for capture sinks (pcapng): its first bytes and the kernel's story of it. */
#ifndef TRACERHUB_MODEL_PACKET_H
#define TRACERHUB_MODEL_PACKET_H

#include <linux/types.h>

/* Link types of captured bytes (the pcap LINKTYPE_ values). */
#define SNAP_LINK_ETHERNET 1   /* from the Ethernet header */
#define SNAP_LINK_RAW	   101 /* from the IP header */

struct snap_packet {
	__u64 ts_ns;	     /* CLOCK_REALTIME of its first stage */
	const char *ifname;  /* the interface it was first seen on, "" when unknown */
	__u32 linktype;	     /* SNAP_LINK_* */
	__u32 wire_len;	     /* its length from the link header on */
	__u32 caplen;	     /* bytes in data */
	const __u8 *data;
	const char *comment; /* one line: the journey */
};

#endif
