/*
 * Self-tests: thread state <-> trap frame conversion and validation
 * (machine/thread_state.h).  Pure functions on frames in this stack; no
 * thread is touched.
 */
#include <kern/ktest.h>
#include <kern/lib.h>
#include <machine/cpu.h>
#include <machine/seg.h>
#include <machine/thread_state.h>

/* A valid state with a distinct value in every general register. */
static void sample_state(i386_thread_state_t *ts)
{
	memset(ts, 0, sizeof(*ts));
	ts->eax = 0x11111111;
	ts->ebx = 0x22222222;
	ts->ecx = 0x33333333;
	ts->edx = 0x44444444;
	ts->edi = 0x55555555;
	ts->esi = 0x66666666;
	ts->ebp = 0x77777777;
	ts->esp = 0x00bff000;
	ts->ss = USER_DS;
	ts->eflags = 0x00000202;
	ts->eip = 0x00401000;
	ts->cs = USER_CS;
	ts->ds = ts->es = ts->fs = ts->gs = USER_DS;
}

static void fill_frame(struct trapframe *tf, uint32_t byte)
{
	memset(tf, (int)byte, sizeof(*tf));
}

static kern_return_t set(struct trapframe *tf, const i386_thread_state_t *ts)
{
	return thread_state_to_frame(tf, i386_THREAD_STATE, (const natural_t *)(const void *)ts,
				     i386_THREAD_STATE_COUNT);
}

KTEST(thread_state_roundtrip)
{
	struct trapframe tf;
	i386_thread_state_t in, out;
	mach_msg_type_number_t cnt = i386_THREAD_STATE_COUNT;

	sample_state(&in);
	fill_frame(&tf, 0xa5);
	tf.trapno = 0x80;
	tf.err = 7;
	KT_CHECK(kt, set(&tf, &in) == KERN_SUCCESS, "valid state accepted");
	KT_CHECK(kt, tf.eax == in.eax && tf.ebx == in.ebx && tf.ecx == in.ecx &&
		 tf.edx == in.edx && tf.edi == in.edi && tf.esi == in.esi &&
		 tf.ebp == in.ebp, "general registers land in the frame");
	KT_CHECK(kt, tf.uesp == in.esp && tf.eip == in.eip, "esp -> uesp, eip");
	KT_CHECK(kt, tf.trapno == 0x80 && tf.err == 7, "trapno and err untouched");

	memset(&out, 0xee, sizeof(out));
	KT_CHECK(kt, thread_state_from_frame(&tf, i386_THREAD_STATE, (thread_state_t)(void *)&out,
					     &cnt) == KERN_SUCCESS &&
		 cnt == i386_THREAD_STATE_COUNT, "get returns 16 words");
	KT_CHECK(kt, memcmp(&in, &out, sizeof(in)) == 0, "get returns what set stored");

	/* x86_THREAD_STATE32 is the same flavor number */
	KT_CHECK(kt, x86_THREAD_STATE32 == i386_THREAD_STATE, "x86_THREAD_STATE32 alias");
}

KTEST(thread_state_selectors)
{
	struct trapframe tf, before;
	i386_thread_state_t ts;

	fill_frame(&tf, 0x5a);
	before = tf;
	sample_state(&ts);
	ts.cs = KERNEL_CS;
	KT_CHECK(kt, set(&tf, &ts) == KERN_INVALID_ARGUMENT, "kernel CS refused");
	KT_CHECK(kt, memcmp(&tf, &before, sizeof(tf)) == 0, "refused set leaves the frame");

	sample_state(&ts);
	ts.cs = USER_CS & ~3u;
	KT_CHECK(kt, set(&tf, &ts) == KERN_INVALID_ARGUMENT, "CS with RPL 0 refused");
	sample_state(&ts);
	ts.cs = 0;
	KT_CHECK(kt, set(&tf, &ts) == KERN_INVALID_ARGUMENT, "null CS refused");

	sample_state(&ts);
	ts.ss = KERNEL_DS;
	KT_CHECK(kt, set(&tf, &ts) == KERN_INVALID_ARGUMENT, "kernel SS refused");
	sample_state(&ts);
	ts.ss = 0;
	KT_CHECK(kt, set(&tf, &ts) == KERN_INVALID_ARGUMENT, "null SS refused");

	sample_state(&ts);
	ts.ds = KERNEL_DS;
	KT_CHECK(kt, set(&tf, &ts) == KERN_INVALID_ARGUMENT, "kernel DS refused");
	sample_state(&ts);
	ts.gs = TSS_SEL;
	KT_CHECK(kt, set(&tf, &ts) == KERN_INVALID_ARGUMENT, "TSS selector in GS refused");
	sample_state(&ts);
	ts.fs = USER_CS;
	KT_CHECK(kt, set(&tf, &ts) == KERN_INVALID_ARGUMENT, "code selector in FS refused");
	KT_CHECK(kt, memcmp(&tf, &before, sizeof(tf)) == 0, "frame still untouched");

	sample_state(&ts);
	ts.ds = ts.es = ts.fs = ts.gs = 0;
	KT_CHECK(kt, set(&tf, &ts) == KERN_SUCCESS, "null data selectors accepted");
	KT_CHECK(kt, tf.ds == USER_DS && tf.es == USER_DS && tf.fs == USER_DS &&
		 tf.gs == USER_DS, "null data selectors stored as USER_DS");
	KT_CHECK(kt, tf.cs == USER_CS && tf.ss == USER_DS, "CS and SS are the user ones");
}

KTEST(thread_state_eflags)
{
	struct trapframe tf;
	i386_thread_state_t ts;

	fill_frame(&tf, 0);
	sample_state(&ts);
	ts.eflags = 0xffffffffu;
	KT_CHECK(kt, set(&tf, &ts) == KERN_SUCCESS, "all-ones EFLAGS accepted");
	KT_CHECK(kt, (tf.eflags & (EFLAGS_IOPL | EFLAGS_NT | EFLAGS_VM | EFLAGS_RF)) == 0,
		 "IOPL, NT, VM, RF stripped (eflags %#x)", tf.eflags);
	KT_CHECK(kt, tf.eflags == (EFLAGS_USER_CHANGEABLE | EFLAGS_IF | 0x2u),
		 "only user-changeable bits kept, IF and bit 1 set (eflags %#x)", tf.eflags);

	sample_state(&ts);
	ts.eflags = 0;
	KT_CHECK(kt, set(&tf, &ts) == KERN_SUCCESS, "zero EFLAGS accepted");
	KT_CHECK(kt, tf.eflags == (EFLAGS_IF | 0x2u), "IF and bit 1 forced (eflags %#x)",
		 tf.eflags);

	sample_state(&ts);
	ts.eflags = EFLAGS_IOPL | 0x1u;
	KT_CHECK(kt, set(&tf, &ts) == KERN_SUCCESS && tf.eflags == (EFLAGS_IF | 0x2u | 0x1u),
		 "IOPL 3 dropped, CF kept (eflags %#x)", tf.eflags);

	sample_state(&ts);
	ts.eip = 0xc0100000u;	/* a kernel address: faults in user mode, not refused */
	KT_CHECK(kt, set(&tf, &ts) == KERN_SUCCESS && tf.eip == 0xc0100000u,
		 "any EIP accepted");
}

KTEST(thread_state_flavors)
{
	struct trapframe tf;
	i386_thread_state_t ts;
	natural_t buf[THREAD_STATE_MAX];
	mach_msg_type_number_t cnt;

	fill_frame(&tf, 0);
	sample_state(&ts);
	KT_CHECK(kt, set(&tf, &ts) == KERN_SUCCESS, "setup");

	KT_CHECK(kt, thread_state_to_frame(&tf, i386_THREAD_STATE, (const natural_t *)(void *)&ts,
					   i386_THREAD_STATE_COUNT - 1) == KERN_INVALID_ARGUMENT,
		 "set with a short count refused");
	KT_CHECK(kt, thread_state_to_frame(&tf, i386_THREAD_STATE, buf,
					   i386_THREAD_STATE_COUNT + 1) == KERN_INVALID_ARGUMENT,
		 "set with a long count refused (XNU wants it exact)");
	KT_CHECK(kt, thread_state_to_frame(&tf, i386_FLOAT_STATE, buf, 4) == KERN_INVALID_ARGUMENT,
		 "set of an unsupported flavor refused");
	KT_CHECK(kt, thread_state_to_frame(&tf, i386_EXCEPTION_STATE, buf,
					   i386_EXCEPTION_STATE_COUNT) == KERN_INVALID_ARGUMENT,
		 "exception state is read-only");

	cnt = i386_THREAD_STATE_COUNT - 1;
	KT_CHECK(kt, thread_state_from_frame(&tf, i386_THREAD_STATE, buf, &cnt) ==
		 KERN_INVALID_ARGUMENT, "get with a short count refused");
	cnt = THREAD_STATE_MAX;
	KT_CHECK(kt, thread_state_from_frame(&tf, i386_THREAD_STATE, buf, &cnt) == KERN_SUCCESS &&
		 cnt == i386_THREAD_STATE_COUNT, "get with a large count gives 16 words");
	cnt = THREAD_STATE_MAX;
	KT_CHECK(kt, thread_state_from_frame(&tf, 99, buf, &cnt) == KERN_INVALID_ARGUMENT,
		 "get of an unknown flavor refused");

	tf.trapno = 14;
	tf.err = 6;
	cnt = i386_EXCEPTION_STATE_COUNT;
	i386_exception_state_t es;
	KT_CHECK(kt, thread_state_from_frame(&tf, i386_EXCEPTION_STATE, buf, &cnt) ==
		 KERN_SUCCESS && cnt == i386_EXCEPTION_STATE_COUNT, "exception state: 3 words");
	memcpy(&es, buf, sizeof(es));
	KT_CHECK(kt, es.trapno == 14 && es.err == 6 && es.cpu == 0,
		 "exception state carries trapno and err");

	cnt = THREAD_STATE_MAX;
	KT_CHECK(kt, thread_state_from_frame(&tf, THREAD_STATE_FLAVOR_LIST, buf, &cnt) ==
		 KERN_SUCCESS && cnt == 2 && buf[0] == i386_THREAD_STATE &&
		 buf[1] == i386_EXCEPTION_STATE, "flavor list");

	KT_CHECK(kt, machine_thread_state_flavor_valid(x86_THREAD_STATE32) &&
		 machine_thread_state_flavor_valid(THREAD_STATE_NONE) &&
		 !machine_thread_state_flavor_valid(0) &&
		 !machine_thread_state_flavor_valid(THREAD_STATE_NONE + 1),
		 "XNU's valid flavor range");
	KT_CHECK(kt, machine_thread_state_flavor_supported(i386_THREAD_STATE) &&
		 !machine_thread_state_flavor_supported(i386_FLOAT_STATE),
		 "supported flavors");
	KT_CHECK(kt, machine_thread_get_state(NULL, i386_THREAD_STATE, buf, &cnt) ==
		 KERN_INVALID_ARGUMENT, "no thread: refused");
}
