/*
 * inject_rpc: allocation failures during kernel RPCs (issue 10, item 3).
 *
 * The nth allocation of kalloc, of physical pages and of every zone the
 * call uses is made to fail, for n = 1, 2, ... (user/testaux/fuzz_inject.h),
 * during:
 *   - mach_port_allocate (the MIG routine, not the trap): request and
 *     reply kmsgs, the port, the entry table;
 *   - mach_port_names: two kernel arrays and two out-of-line regions in
 *     the reply, copied out into this task's map;
 *   - task_info: a reply too large for the kmsg cache, allocated by the
 *     kernel for every call.
 * Each is made with mach_msg and a receive timeout, so that a request the
 * kernel dropped would show as a timeout instead of a hang.  Documented
 * results: KERN_SUCCESS, KERN_RESOURCE_SHORTAGE (and KERN_NO_SPACE) from
 * the routine; MACH_SEND_NO_BUFFER when the request could not be
 * allocated; when the reply could not be, the request's reply right dies
 * unused and a send-once notification arrives instead, which MIG stubs
 * return as MIG_SERVER_DIED (ipc_kobject_server's contract); and
 * MACH_RCV_BODY_ERROR with MACH_MSG_VM_SPACE or MACH_MSG_IPC_SPACE when the
 * reply's contents could not be copied out.
 * No leak of ports, kmsgs or zone elements, and a clean IPC audit, after
 * each.
 */
#include <mach/mach_port.h>
#include <mach/mig_errors.h>
#include <mach/notify.h>
#include <mach/task.h>
#include <mach/task_info.h>
#include "../testaux/fuzz_inject.h"

static mach_port_t reply_port;

union rpc_buf {
	mach_msg_header_t h;
	mig_reply_error_t err;
	uint8_t b[512];
};

/*
 * Send req (size bytes) to the task port and take the reply into rep:
 * with one mach_msg (the hot path's shape) or a send then a receive.
 * When the kernel could not answer (no memory for the reply), the reply
 * right dies unused and a send-once notification comes instead: MIG
 * stubs report that as MIG_SERVER_DIED, and so does *retp here.
 */
static mach_msg_return_t call(union rpc_buf *req, mach_msg_size_t size, union rpc_buf *rep,
			      int combined, kern_return_t *retp)
{
	mach_msg_id_t id = req->h.msgh_id;
	mach_msg_return_t mr;
	req->h.msgh_bits = MACH_MSGH_BITS(MACH_MSG_TYPE_COPY_SEND, MACH_MSG_TYPE_MAKE_SEND_ONCE);
	req->h.msgh_size = size;
	req->h.msgh_remote_port = mach_task_self();
	req->h.msgh_local_port = reply_port;
	if (combined) {
		mr = mach_msg(&req->h, MACH_SEND_MSG | MACH_RCV_MSG | MACH_SEND_TIMEOUT |
			      MACH_RCV_TIMEOUT, size, sizeof(*rep), reply_port, 1000, MACH_PORT_NULL);
		memcpy(rep, req, sizeof(*rep));
	} else {
		mr = mach_msg(&req->h, MACH_SEND_MSG | MACH_SEND_TIMEOUT, size, 0, MACH_PORT_NULL,
			      1000, MACH_PORT_NULL);
		if (mr == MACH_MSG_SUCCESS)
			mr = mach_msg(&rep->h, MACH_RCV_MSG | MACH_RCV_TIMEOUT, 0, sizeof(*rep),
				      reply_port, 1000, MACH_PORT_NULL);
	}
	*retp = MIG_REPLY_MISMATCH;
	if (rep->h.msgh_id == id + 100)
		*retp = rep->err.RetCode;
	else if (rep->h.msgh_id == MACH_NOTIFY_SEND_ONCE)
		*retp = MIG_SERVER_DIED;
	if (rep->h.msgh_id == id + 100 && (rep->h.msgh_bits & MACH_MSGH_BITS_COMPLEX))
		*retp = KERN_SUCCESS;
	return mr;
}

static int rpc_result_ok(mach_msg_return_t mr, kern_return_t ret)
{
	if (mr == MACH_MSG_SUCCESS)
		return ret == KERN_SUCCESS || ret == KERN_RESOURCE_SHORTAGE || ret == KERN_NO_SPACE ||
		       ret == MIG_SERVER_DIED;
	if (mr == MACH_SEND_NO_BUFFER)
		return 1;
	if ((mr & ~MACH_MSG_MASK) == MACH_RCV_BODY_ERROR)
		return 1;
	return 0;
}

/* mach_port_allocate(self, RECEIVE) through the RPC; destroys the port. */
static kern_return_t op_allocate(int *okp)
{
	union rpc_buf req, rep;
	__Request__mach_port_allocate_t *in = (void *)&req;
	memset(&req, 0, sizeof(req));
	memset(&rep, 0, sizeof(rep));
	in->NDR = NDR_record;
	in->right = MACH_PORT_RIGHT_RECEIVE;
	in->Head.msgh_id = 3204;
	kern_return_t ret;
	mach_msg_return_t mr = call(&req, sizeof(*in), &rep, 1, &ret);
	if (mr == MACH_MSG_SUCCESS && ret == KERN_SUCCESS) {
		__Reply__mach_port_allocate_t *out = (void *)&rep;
		(void)mach_port_destroy(mach_task_self(), out->name);
	}
	*okp = rpc_result_ok(mr, ret);
	return mr == MACH_MSG_SUCCESS ? ret : mr;
}

/* mach_port_names(self) through the RPC; releases the arrays. */
static kern_return_t op_names(int *okp)
{
	union rpc_buf req, rep;
	memset(&req, 0, sizeof(req));
	memset(&rep, 0, sizeof(rep));
	req.h.msgh_id = 3200;
	kern_return_t ret;
	mach_msg_return_t mr = call(&req, sizeof(__Request__mach_port_names_t), &rep, 0, &ret);
	if (mr == MACH_MSG_SUCCESS || (mr & ~MACH_MSG_MASK) == MACH_RCV_BODY_ERROR) {
		if (rep.h.msgh_bits & MACH_MSGH_BITS_COMPLEX) {
			__Reply__mach_port_names_t *out = (void *)&rep;
			if (out->names.address)
				(void)vm_deallocate(mach_task_self(), (vm_address_t)out->names.address,
						    out->names.size);
			if (out->types.address)
				(void)vm_deallocate(mach_task_self(), (vm_address_t)out->types.address,
						    out->types.size);
		}
	}
	*okp = rpc_result_ok(mr, ret);
	return mr == MACH_MSG_SUCCESS ? ret : mr;
}

/*
 * task_info(self, TASK_BASIC_INFO): its reply is too big for the kmsg
 * cache, so the kernel allocates it for each call.
 */
static kern_return_t op_task_info(int *okp)
{
	union rpc_buf req, rep;
	__Request__task_info_t *in = (void *)&req;
	memset(&req, 0, sizeof(req));
	memset(&rep, 0, sizeof(rep));
	in->NDR = NDR_record;
	in->flavor = TASK_BASIC_INFO;
	in->task_info_outCnt = 52;
	in->Head.msgh_id = 3405;
	kern_return_t ret;
	mach_msg_return_t mr = call(&req, sizeof(*in), &rep, 1, &ret);
	*okp = rpc_result_ok(mr, ret);
	return mr == MACH_MSG_SUCCESS ? ret : mr;
}

int main(void)
{
	(void)mach_port_allocate(mach_task_self(), MACH_PORT_RIGHT_RECEIVE, &reply_port);
	inject_sweep("mach_port_allocate RPC", op_allocate);
	inject_sweep("mach_port_names RPC", op_names);
	inject_sweep("task_info RPC", op_task_info);
	inject_empty_cache = 1;
	inject_sweep("mach_port_allocate RPC, kmsg cache empty", op_allocate);
	(void)mach_port_destroy(mach_task_self(), reply_port);
	return tap_done();
}
