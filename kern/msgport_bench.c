/*
 * LWKT benchmark: lwkt_domsg round trip to a server kernel thread.
 * Under QEMU -icount the guest's rdtsc counts instructions, so the result
 * is instructions per round trip (GUIDE.md section 4).
 */
#include <kern/types.h>
#include <kern/msgport.h>
#include <kern/thread.h>
#include <kern/sched_prim.h>
#include <kern/assert.h>

#define BENCH_CMD_NULL	1
#define BENCH_CMD_QUIT	2
#define BENCH_WARMUP	64
#define BENCH_SRV_PRI	24

static inline uint64_t bench_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static struct bench_server {
	struct lwkt_port port;
	volatile bool ready;
	volatile bool gone;
} srv;

static void bench_wait_for(volatile bool *flag)
{
	while (!*flag) {
		assert_wait((event_t)flag, THREAD_UNINT);
		(void)thread_block();
	}
}

static void bench_server_main(void *arg)
{
	struct bench_server *s = arg;
	int cmd;

	lwkt_initport_thread(&s->port, current_thread());
	s->ready = true;
	thread_wakeup((event_t)&s->ready);
	do {
		lwkt_msg_t msg = lwkt_waitport(&s->port, NULL);

		cmd = msg->ms_cmd;
		lwkt_replymsg(msg, LWKT_OK);
	} while (cmd != BENCH_CMD_QUIT);
	s->gone = true;
	thread_wakeup((event_t)&s->gone);
	kernel_thread_exit();
}

/*
 * lwkt_bench_domsg_rt: start a server thread with a thread port, warm up,
 * then time iters lwkt_domsg round trips (reply-only reply port) with
 * rdtsc and stop the server.  Call from a thread that may block; not
 * reentrant.  Returns the average ticks per round trip (0 if iters is 0).
 */
uint32_t lwkt_bench_domsg_rt(unsigned iters)
{
	struct lwkt_port rport;
	struct lwkt_msg msg;
	uint64_t t0, t1;

	srv.ready = false;
	srv.gone = false;
	if (kernel_thread_create("lwkt_bench", bench_server_main, &srv,
				 BENCH_SRV_PRI) == NULL)
		panic("lwkt_bench_domsg_rt: cannot create the server");
	bench_wait_for(&srv.ready);

	lwkt_initport_replyonly(&rport);
	lwkt_initmsg(&msg, &rport, BENCH_CMD_NULL);
	for (unsigned i = 0; i < BENCH_WARMUP; i++)
		(void)lwkt_domsg(&srv.port, &msg);
	t0 = bench_rdtsc();
	for (unsigned i = 0; i < iters; i++)
		(void)lwkt_domsg(&srv.port, &msg);
	t1 = bench_rdtsc();

	msg.ms_cmd = BENCH_CMD_QUIT;
	(void)lwkt_domsg(&srv.port, &msg);
	bench_wait_for(&srv.gone);
	return iters == 0 ? 0 : (uint32_t)((t1 - t0) / iters);
}
