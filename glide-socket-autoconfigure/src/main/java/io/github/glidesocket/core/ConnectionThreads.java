package io.github.glidesocket.core;

import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Creates the executor that runs connection handlers. Accept loops never run here: they stay on
 * platform threads because junixsocket's blocking accept on a virtual thread pins one of a few
 * poller threads (see the README).
 * <p>
 * Virtual threads are created through reflection so that the library still compiles for and runs
 * on Java 17.
 */
final class ConnectionThreads {

	private static final System.Logger logger = System.getLogger(SocketManager.class.getName());

	private ConnectionThreads() {
	}

	/**
	 * An executor with one thread per connection. Platform threads come from a pool with no queue
	 * whose size is bounded by the sockets' connection limits; idle threads end after a minute.
	 * @param name the manager's name, used as thread-name prefix
	 * @param virtual whether to use virtual threads when the JDK has them
	 * @return the executor
	 */
	static ExecutorService create(String name, boolean virtual) {
		if (virtual) {
			ExecutorService executor = virtualThreadPerTaskExecutor(name + "-connection-");
			if (executor != null) {
				return executor;
			}
			logger.log(System.Logger.Level.INFO,
					"Virtual threads were requested for connections but Java " + Runtime.version().feature()
							+ " has none; using platform threads");
		}
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
				platformThreadFactory(name + "-connection-", true));
	}

	private static @Nullable ExecutorService virtualThreadPerTaskExecutor(String prefix) {
		ThreadFactory factory = virtualThreadFactory(prefix);
		if (factory == null) {
			return null;
		}
		try {
			Method method = Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class);
			return (ExecutorService) method.invoke(null, factory);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	static ThreadFactory platformThreadFactory(String prefix, boolean daemon) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
			thread.setDaemon(daemon);
			return thread;
		};
	}

	private static @Nullable ThreadFactory virtualThreadFactory(String prefix) {
		try {
			Method ofVirtual = Thread.class.getMethod("ofVirtual");
			Object builder = ofVirtual.invoke(null);
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix, 1L);
			return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
