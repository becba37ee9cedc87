// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include "cmd/doctor.h"
#include "unit.h"

/* What libbpf said when bio did not load on 6.1 (cut): the verifier's last words, named. */
void test_doctor__verifier_reason(void)
{
	const char *log =
		"libbpf: prog 'hub_block_rq_complete_btf': BPF program load failed: Permission "
		"denied\n"
		"libbpf: prog 'hub_block_rq_complete_btf': -- BEGIN PROG LOAD LOG --\n"
		"reg type unsupported for arg#0 function hub_block_rq_complete_btf#995\n"
		"0: R1=ctx(off=0,imm=0) R10=fp0\n"
		"; h->device[slot_of(device_ns / div)]++;\n"
		"265: (0f) r2 += r3                    ; R2_w=map_value(off=0,ks=4,vs=1304)\n"
		"266: (79) r3 = *(u64 *)(r2 +320)\n"
		"R2 unbounded memory access, make sure to bounds check any such access\n"
		"processed 289 insns (limit 1000000) max_states_per_insn 1 total_states 25\n"
		"-- END PROG LOAD LOG --\n"
		"libbpf: prog 'hub_block_rq_complete_btf': failed to load: -13\n"
		"libbpf: failed to load object 'hub_bpf'\n"
		"libbpf: failed to load BPF skeleton 'hub_bpf': -13\n";
	char why[240];

	ASSERT_TRUE(doctor__reason(log, why, sizeof(why)), "found");
	ASSERT_STREQ(why, "hub_block_rq_complete_btf: R2 unbounded memory access, make sure to "
			  "bounds check any such access", "reason");
}

/* A CO-RE relocation that does not resolve is what the verifier says last, too. */
void test_doctor__core_relocation(void)
{
	const char *log =
		"libbpf: prog 'hub_tcp_probe_tp': -- BEGIN PROG LOAD LOG --\n"
		"4: <invalid CO-RE relocation>\n"
		"failed to resolve CO-RE relocation <byte_off> [993] struct "
		"trace_event_raw_tcp_probe.skbaddr (0:16 @ offset 120)\n"
		"processed 4 insns (limit 1000000) max_states_per_insn 0 total_states 0\n"
		"-- END PROG LOAD LOG --\n"
		"libbpf: prog 'hub_tcp_probe_tp': failed to load: -22\n";
	char why[240];

	ASSERT_TRUE(doctor__reason(log, why, sizeof(why)), "found");
	ASSERT_STREQ(why, "hub_tcp_probe_tp: failed to resolve CO-RE relocation <byte_off> [993] "
			  "struct trace_event_raw_tcp_probe.skbaddr (0:16 @ offset 120)", "reason");
}

/* No verifier log (an attach failed): libbpf's first failure, not its summary lines. */
void test_doctor__attach_failure(void)
{
	const char *log = "libbpf: failed to load object 'hub_bpf'\n"
			  "libbpf: prog 'hub_sys_enter_tp': failed to attach to perf_event FD 7: "
			  "Invalid argument\n";
	char why[240], small[16];

	ASSERT_TRUE(doctor__reason(log, why, sizeof(why)), "found");
	ASSERT_STREQ(why, "prog 'hub_sys_enter_tp': failed to attach to perf_event FD 7: Invalid "
			  "argument", "reason");
	ASSERT_TRUE(doctor__reason(log, small, sizeof(small)), "cut");
	ASSERT_STREQ(small, "prog 'hub_sys_e", "cut to its buffer");
	ASSERT_TRUE(!doctor__reason("libbpf: loading object 'hub_bpf'\n", why, sizeof(why)),
		    "nothing failed");
	ASSERT_TRUE(!doctor__reason("", why, sizeof(why)), "empty");
}
