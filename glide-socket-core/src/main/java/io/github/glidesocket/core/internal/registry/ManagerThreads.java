package io.github.glidesocket.core.internal.registry;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.core.internal.transport.ConnectionThreads;

/**
 * The threads a manager runs besides those of its listeners: all platform daemon threads named
 * after the manager, so that a program that never closes its manager still exits, and so that
 * tests can find them by name.
 */
final class ManagerThreads {

	/** Binds seldom take more than a millisecond; a few at once keep a slow one from holding others. */
	static final int BIND_THREADS = 4;

	/**
	 * Stop notices are delivered by at most this many threads at once: a holder's action that
	 * blocks holds one of them, so the other notices are delayed only while this many actions
	 * block together.
	 */
	static final int NOTICE_THREADS = 8;

	private static final long IDLE_SECONDS = 60;

	private ManagerThreads() {
	}

	/**
	 * Runs the deliveries of socket events (see {@link SocketEvents}): a thread per listener that
	 * has events waiting, none while no events flow. Threads end after a while without work, or
	 * at once when the manager stops ({@link #windDown}); the executor never refuses a task, so
	 * events reported after the manager stopped (a connection ending late) are still delivered.
	 * @param name the manager's name
	 * @return the executor
	 */
	static ThreadPoolExecutor eventExecutor(String name) {
		return new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(),
				ConnectionThreads.daemons(name + "-events-"));
	}

	/**
	 * Runs the stop notices' completions ({@link StopNotice}), one task per holder, on at most
	 * {@link #NOTICE_THREADS} threads that end after a while without work; the rest wait in its
	 * queue. A socket with thousands of holders then costs a few threads at its stop, not one per
	 * holder whose action is still running. Like the event executor it never refuses a task, so a
	 * holder who asks after the manager stopped is still told.
	 * @param name the manager's name
	 * @return the executor
	 */
	static ThreadPoolExecutor noticeExecutor(String name) {
		ThreadPoolExecutor executor = new ThreadPoolExecutor(NOTICE_THREADS, NOTICE_THREADS, IDLE_SECONDS,
				TimeUnit.SECONDS, new LinkedBlockingQueue<>(), ConnectionThreads.daemons(name + "-notices-"));
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	/**
	 * Let the threads of an executor that keeps accepting tasks end as soon as they are idle.
	 * @param executor the executor
	 */
	static void windDown(ThreadPoolExecutor executor) {
		executor.setKeepAliveTime(1, TimeUnit.MILLISECONDS);
	}

	/**
	 * Runs the blocking work the manager's timer only schedules (file checks, judgements of
	 * replaced files, handovers, the cleanup after a linger): at most {@link #BIND_THREADS}
	 * threads, which end after a while without work.
	 * @param name the manager's name
	 * @return the executor
	 */
	static ThreadPoolExecutor workExecutor(String name) {
		ThreadPoolExecutor executor = new ThreadPoolExecutor(BIND_THREADS, BIND_THREADS, IDLE_SECONDS, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), ConnectionThreads.daemons(name + "-work-"));
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	/**
	 * Runs the binds of {@code startSocketListener…}, off the scheduler whose timers (leak
	 * checks, drain deadlines) a slow bind would otherwise hold back. At most
	 * {@link #BIND_THREADS} threads, which end after a while without work.
	 * @param name the manager's name
	 * @return the executor
	 */
	static ThreadPoolExecutor bindExecutor(String name) {
		ThreadPoolExecutor executor = new ThreadPoolExecutor(BIND_THREADS, BIND_THREADS, IDLE_SECONDS, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), ConnectionThreads.daemons(name + "-bind-"));
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

}
