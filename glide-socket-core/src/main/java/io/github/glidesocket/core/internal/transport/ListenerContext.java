package io.github.glidesocket.core.internal.transport;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.internal.binding.PendingTakeovers;

/**
 * What a manager shares with all its listeners: where connections run, who hears about events,
 * and the source of connection ids.
 *
 * @param managerName the manager's name, used in thread names
 * @param connectionExecutor runs one task per connection served on its own thread, and the peer
 * policies that may block (of either mode), each on the thread of its connection
 * @param eventLoops serve the connections of sockets in event-loop mode, and accept for every
 * socket
 * @param scheduler runs delayed log summaries and the retries of a failed accept
 * @param timeouts times out the reads and writes of connections served on threads of their own
 * @param bufferBudget the bytes event-loop connections may hold in buffers of their own
 * @param events receives events, never throws
 * @param connectionIds the source of connection ids, each new
 * @param takeovers where takeovers wait for the application to be ready
 */
public record ListenerContext(String managerName, Executor connectionExecutor, EventLoops eventLoops,
		ScheduledExecutorService scheduler, ConnectionTimeouts timeouts, BufferBudget bufferBudget,
		SocketEventListener events, LongSupplier connectionIds, PendingTakeovers takeovers) {

	/**
	 * A context whose takeovers complete as they bind.
	 */
	public ListenerContext(String managerName, Executor connectionExecutor, EventLoops eventLoops,
			ScheduledExecutorService scheduler, ConnectionTimeouts timeouts, BufferBudget bufferBudget,
			SocketEventListener events, LongSupplier connectionIds) {
		this(managerName, connectionExecutor, eventLoops, scheduler, timeouts, bufferBudget, events, connectionIds,
				PendingTakeovers.immediate());
	}

}
