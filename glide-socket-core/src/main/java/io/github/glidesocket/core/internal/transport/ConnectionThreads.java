package io.github.glidesocket.core.internal.transport;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.glidesocket.core.SocketConnectionHandler;

/**
 * Creates the executor that runs {@link SocketConnectionHandler}s: platform threads only. With
 * junixsocket a blocked read on a virtual thread holds a carrier thread in a native poll, and
 * the carriers are as many as the CPUs: that many idle connections would stop every other
 * connection, and every other virtual thread of the application, from running (see the README).
 */
public final class ConnectionThreads {

	private ConnectionThreads() {
	}

	/**
	 * An executor with one platform thread per connection, from a pool with no queue whose size
	 * is bounded by the sockets' connection limits; idle threads end after a minute.
	 * @param name the manager's name, used as thread-name prefix
	 * @return the executor
	 */
	public static ExecutorService create(String name) {
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
				platformThreadFactory(name + "-connection-", true));
	}

	public static ThreadFactory platformThreadFactory(String prefix, boolean daemon) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
			thread.setDaemon(daemon);
			return thread;
		};
	}

}
