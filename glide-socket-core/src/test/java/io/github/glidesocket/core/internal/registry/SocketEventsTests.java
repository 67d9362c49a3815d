package io.github.glidesocket.core.internal.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.glidesocket.core.RecordingEvents;
import io.github.glidesocket.core.RejectReason;
import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link SocketEvents}.
 */
class SocketEventsTests {

	@Test
	void eventsReachEveryListenerEvenWhenOneFails() {
		SocketEventListener failing = mock(SocketEventListener.class);
		SocketEventListener second = mock(SocketEventListener.class);
		willThrow(new IllegalStateException("boom")).given(failing).connectionAccepted("/p");
		SocketEvents events = new SocketEvents(List.of(failing), Runnable::run);
		events.add(second);
		events.connectionAccepted("/p");
		events.connectionRejected("/p", RejectReason.LIMIT);
		events.socketClosed("/p", Duration.ofMillis(1));
		events.referenceLeaked("/p", null);
		then(second).should().connectionAccepted("/p");
		then(second).should().connectionRejected("/p", RejectReason.LIMIT);
		then(second).should().socketClosed("/p", Duration.ofMillis(1));
		then(second).should().referenceLeaked("/p", null);
	}

	@Test
	void removedListenerReceivesNothing() {
		SocketEventListener listener = mock(SocketEventListener.class);
		SocketEvents events = new SocketEvents(List.of(listener), Runnable::run);
		events.remove(listener);
		events.socketBound("/p");
		then(listener).shouldHaveNoInteractions();
	}

	@Test
	@Timeout(30)
	void eachListenerReceivesItsEventsInOrderOffTheReportingThread() throws Exception {
		ExecutorService executor = Executors.newCachedThreadPool();
		try {
			List<String> received = new CopyOnWriteArrayList<>();
			List<Thread> threads = new CopyOnWriteArrayList<>();
			SocketEvents events = new SocketEvents(List.of(new SocketEventListener() {

				@Override
				public void connectionAccepted(String path) {
					threads.add(Thread.currentThread());
					received.add(path);
				}

			}), executor);
			List<String> reported = new ArrayList<>();
			for (int i = 0; i < 10_000; i++) {
				reported.add("/p" + i);
				events.connectionAccepted("/p" + i);
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == reported.size());
			assertThat(received).isEqualTo(reported);
			assertThat(threads).doesNotContain(Thread.currentThread());
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	@Timeout(30)
	void aStreamOfEventsIsDeliveredByOneTaskThatEndsWhenTheStreamDoes() throws Exception {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
				new SynchronousQueue<>());
		AtomicInteger tasks = new AtomicInteger();
		Executor counting = (task) -> {
			tasks.incrementAndGet();
			pool.execute(task);
		};
		try {
			Semaphore delivered = new Semaphore(0);
			List<String> received = new CopyOnWriteArrayList<>();
			SocketEvents events = new SocketEvents(List.of(new SocketEventListener() {

				@Override
				public void connectionAccepted(String path) {
					received.add(path);
					delivered.release();
				}

			}), counting, Duration.ofMillis(200));
			// Each event is reported only once the one before was delivered: without lingering,
			// the task would have found the queue empty and ended, and each event need a new one.
			for (int i = 0; i < 10; i++) {
				events.connectionAccepted("/p" + i);
				assertThat(delivered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
			}
			assertThat(received).hasSize(10);
			assertThat(tasks.get()).isLessThanOrEqualTo(3);
			await().atMost(Duration.ofSeconds(10)).until(() -> pool.getActiveCount() == 0);
			int before = tasks.get();
			events.connectionAccepted("/after");
			assertThat(delivered.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
			assertThat(tasks.get()).isEqualTo(before + 1);
			assertThat(received).last().isEqualTo("/after");
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	@Timeout(30)
	void aListenerThatBlocksOrThrowsHoldsBackOnlyItsOwnEvents() throws Exception {
		ExecutorService executor = Executors.newCachedThreadPool();
		CountDownLatch blocked = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		try {
			List<String> blockedReceived = new CopyOnWriteArrayList<>();
			SocketEventListener blocking = new SocketEventListener() {

				@Override
				public void socketBound(String path) {
					blockedReceived.add(path);
					blocked.countDown();
					try {
						release.await(30, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
				}

			};
			SocketEventListener throwing = mock(SocketEventListener.class);
			willThrow(new AssertionError("boom")).given(throwing).socketBound("/a");
			RecordingEvents recording = new RecordingEvents();
			SocketEvents events = new SocketEvents(List.of(blocking, throwing, recording), executor);
			events.socketBound("/a");
			events.socketBound("/b");
			assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
			await().atMost(Duration.ofSeconds(10)).until(() -> recording.events.size() == 2);
			assertThat(recording.events).containsExactly("bound /a", "bound /b");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> then(throwing).should().socketBound("/b"));
			assertThat(blockedReceived).containsExactly("/a");
			release.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> blockedReceived.size() == 2);
			assertThat(blockedReceived).containsExactly("/a", "/b");
		}
		finally {
			release.countDown();
			executor.shutdownNow();
		}
	}

	@Test
	void listenerAddedToARunningManagerHearsItsSockets(@TempDir Path directory) {
		RecordingEvents recording = new RecordingEvents();
		RecordingEvents staying = new RecordingEvents();
		try (SocketManager manager = SocketManager.builder().shutdownHook(false).eventListener(staying).build()) {
			manager.addEventListener(recording);
			String path = directory.resolve("e.sock").toString();
			manager.getOrCreate(path).close();
			await().atMost(Duration.ofSeconds(10)).until(() -> recording.events.size() == 2);
			manager.removeEventListener(recording);
			manager.getOrCreate(path).close();
			await().atMost(Duration.ofSeconds(10)).until(() -> staying.events.size() == 4);
			assertThat(recording.events).containsExactly("bound " + path, "closed " + path);
		}
	}

}
