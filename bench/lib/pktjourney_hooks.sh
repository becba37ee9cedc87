# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The tracepoints `tracerhub pktjourney` attaches by default (bpftool link show while it runs),
# for the floor variant of the pktjourney cases: an empty program on each of them.
PJ_HOOKS='tcp_sendmsg_locked sock_send_length net_dev_queue qdisc_enqueue qdisc_dequeue
net_dev_start_xmit net_dev_xmit netif_rx napi_gro_receive_entry netif_receive_skb tcp_probe
skb_copy_datagram_iovec sock_recv_length consume_skb kfree_skb'
