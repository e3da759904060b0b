/*
 * stress_proto.h - the messages of the load test (user/tests/stress_rpc.c)
 * and its helper programs (testaux/stress_server.c, stress_client.c,
 * stress_faulter.c).
 *
 * A client's request carries a port descriptor (a send right to a "token"
 * port of the client), out-of-line memory filled with stress_byte(client,
 * iteration, i), and the client's id and iteration.  The server checks
 * the bytes and that the sequence numbers of its port come without a gap,
 * and replies with the token right moved back and the memory copied back.
 */
#ifndef _TESTAUX_STRESS_PROTO_H_
#define _TESTAUX_STRESS_PROTO_H_

#include <stdint.h>
#include <mach/mach.h>

#define STRESS_HELLO		0x5700	/* child -> parent, local: child's port */
#define STRESS_PARAMS		0x5701	/* parent -> child */
#define STRESS_REQ		0x5702	/* client -> server */
#define STRESS_REPLY		0x5703	/* server -> client */
#define STRESS_EXIT		0x5704	/* parent -> server: report and end */
#define STRESS_STATS		0x5705	/* server -> parent */
#define STRESS_PROGRESS		0x5706	/* client -> parent, every so often */
#define STRESS_DONE		0x5707	/* client -> parent: finished */

#define STRESS_PAGES_MAX	3

/* stress_faulter: rounds of faults on FAULT_PAGES unmapped pages, freed after each */
#define STRESS_FAULT_PAGES	32
#define STRESS_FAULT_ROUNDS	8
#define STRESS_FAULTS		(STRESS_FAULT_PAGES * STRESS_FAULT_ROUNDS)

static inline uint8_t stress_byte(uint32_t client, uint32_t iter, uint32_t i)
{
	return (uint8_t)(client * 31 + iter * 7 + i * 13 + (i >> 8));
}

/* Request and reply: one port, one region, four words. */
struct stress_msg {
	mach_msg_header_t		head;
	mach_msg_body_t			body;
	mach_msg_port_descriptor_t	token;
	mach_msg_ool_descriptor_t	mem;
	NDR_record_t			ndr;
	uint32_t			w[4];	/* client, iteration, size, result */
};

/* A receive buffer with room for the largest trailer. */
union stress_buf {
	struct stress_msg m;
	uint8_t b[sizeof(struct stress_msg) + 128];
};

/* Parameters and reports: header and words only. */
struct stress_words {
	mach_msg_header_t	head;
	mach_msg_body_t		body;
	mach_msg_port_descriptor_t port;	/* PARAMS: the server's port */
	uint32_t		w[6];
};

#endif /* _TESTAUX_STRESS_PROTO_H_ */
