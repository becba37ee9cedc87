/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A capture sink: packets to a pcapng file (or stdout) that Wireshark and
 * tshark read, one Enhanced Packet Block per packet with its comment, one
 * Interface Description Block per interface and link type, nanosecond times.
 */
#ifndef TRACERHUB_SINKS_PCAPNG_H
#define TRACERHUB_SINKS_PCAPNG_H

struct pcapng;
struct sink;

/*
 * Create path ("-": stdout) for packets of at most snaplen bytes and write
 * its section header. NULL after log__error() said why.
 */
struct pcapng *pcapng__open(const char *path, unsigned int snaplen);
/* Fill k as the capture sink of c: packet and finish (which writes out what is buffered). */
void pcapng__sink(struct pcapng *c, struct sink *k);
/* Close and free; c may be NULL. */
void pcapng__close(struct pcapng *c);

#endif
