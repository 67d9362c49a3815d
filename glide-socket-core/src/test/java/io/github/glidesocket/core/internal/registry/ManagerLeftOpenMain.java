package io.github.glidesocket.core.internal.registry;

import java.time.Duration;
import java.util.Map;

import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.internal.transport.UnboundListener;

/**
 * A plain Java program that uses a manager and returns from {@code main} without closing it or
 * the references it took, for {@link DefaultSocketManagerTests}: the JVM must exit on its own.
 * It binds no socket: its listeners are {@link UnboundListener}s, so only the manager's own threads
 * run (scheduler with a pending linger, bind threads, event threads). If the JVM is still running
 * after a while, a daemon thread prints the threads that keep it alive.
 */
public final class ManagerLeftOpenMain {

	private ManagerLeftOpenMain() {
	}

	public static void main(String[] args) throws Exception {
		Thread watchdog = new Thread(ManagerLeftOpenMain::reportLiveThreads, "watchdog");
		watchdog.setDaemon(true);
		watchdog.start();
		SocketManager manager = Handles.withListeners(SocketManager.builder()
			.name("left-open")
			.defaults(SocketOptions.builder().cleanupDelay(Duration.ofHours(1)).build())
			.eventListener(new SocketEventListener() {
			}), UnboundListener.FACTORY);
		manager.getOrCreate("/tmp/left-open-held.sock");
		manager.getOrCreate("/tmp/left-open-lingering.sock").close();
		manager.startSocketListenerWithReference("/tmp/left-open-started.sock").get();
		System.out.println("manager left open");
	}

	private static void reportLiveThreads() {
		try {
			Thread.sleep(40_000);
		}
		catch (InterruptedException ex) {
			return;
		}
		for (Map.Entry<Thread, StackTraceElement[]> thread : Thread.getAllStackTraces().entrySet()) {
			if (!thread.getKey().isDaemon()) {
				System.err.println("non-daemon thread still running: " + thread.getKey().getName());
			}
		}
	}

}
