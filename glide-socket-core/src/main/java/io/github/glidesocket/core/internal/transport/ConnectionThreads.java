package io.github.glidesocket.core.internal.transport;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The threads that accept connections and run connection handlers: virtual threads when asked
 * for and the JDK has them (21 and later), platform daemon threads otherwise. The JDK's
 * Unix-domain channels park a virtual thread blocked in a read or an accept without holding its
 * carrier. The library is compiled for Java 17, so virtual threads are reached by method handles.
 */
public final class ConnectionThreads {

	private static final @Nullable MethodHandle VIRTUAL_FACTORY = virtualThreadFactoryHandle();

	/** {@code Executors.newThreadPerTaskExecutor(ThreadFactory)}, or {@code null} before Java 21. */
	private static final @Nullable MethodHandle THREAD_PER_TASK = threadPerTaskHandle();

	private ConnectionThreads() {
	}

	/**
	 * Whether this JDK has virtual threads.
	 * @return {@code true} on Java 21 and later
	 */
	public static boolean virtualThreadsAvailable() {
		return VIRTUAL_FACTORY != null;
	}

	/**
	 * A factory of threads named {@code prefix} and a number: virtual when asked for and
	 * available, platform daemon threads otherwise.
	 * @param prefix the thread-name prefix
	 * @param virtual whether virtual threads are wanted
	 * @return the factory
	 */
	public static ThreadFactory factory(String prefix, boolean virtual) {
		MethodHandle virtualFactory = VIRTUAL_FACTORY;
		if (virtual && virtualFactory != null) {
			try {
				return (ThreadFactory) virtualFactory.invoke(prefix, 1L);
			}
			catch (Throwable ex) {
				throw new IllegalStateException("Cannot create virtual threads", ex);
			}
		}
		return daemons(prefix);
	}

	/**
	 * An executor with one thread per connection: a new virtual thread per task, or platform
	 * threads from a pool with no queue whose size is bounded by the sockets' connection limits
	 * (idle threads end after a minute).
	 * @param name the manager's name, used as thread-name prefix
	 * @param virtual whether virtual threads are wanted
	 * @return the executor
	 */
	public static ExecutorService create(String name, boolean virtual) {
		ThreadFactory factory = factory(name + "-connection-", virtual);
		MethodHandle threadPerTask = THREAD_PER_TASK;
		if (virtual && virtualThreadsAvailable() && threadPerTask != null) {
			try {
				return (ExecutorService) threadPerTask.invoke(factory);
			}
			catch (Throwable ex) {
				throw new IllegalStateException("Cannot create a virtual-thread executor", ex);
			}
		}
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), factory);
	}

	/**
	 * Platform daemon threads named {@code <prefix>N}.
	 * @param prefix the name prefix
	 * @return the factory
	 */
	public static ThreadFactory daemons(String prefix) {
		AtomicInteger counter = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	private static @Nullable MethodHandle threadPerTaskHandle() {
		try {
			return MethodHandles.publicLookup().findStatic(Executors.class, "newThreadPerTaskExecutor",
					MethodType.methodType(ExecutorService.class, ThreadFactory.class));
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

	/**
	 * {@code (prefix, start) -> Thread.ofVirtual().name(prefix, start).factory()}, or {@code null}
	 * before Java 21.
	 */
	private static @Nullable MethodHandle virtualThreadFactoryHandle() {
		try {
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			Class<?> builder = Class.forName("java.lang.Thread$Builder$OfVirtual");
			MethodHandle ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builder));
			MethodHandle name = lookup.findVirtual(builder, "name",
					MethodType.methodType(builder, String.class, long.class));
			MethodHandle factory = lookup.findVirtual(Class.forName("java.lang.Thread$Builder"), "factory",
					MethodType.methodType(ThreadFactory.class));
			// factory(name(ofVirtual(), prefix, start))
			MethodHandle named = MethodHandles.collectArguments(name, 0, ofVirtual);
			return MethodHandles.filterReturnValue(named, factory.asType(MethodType.methodType(ThreadFactory.class, builder)))
				.asType(MethodType.methodType(ThreadFactory.class, String.class, long.class));
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

}
