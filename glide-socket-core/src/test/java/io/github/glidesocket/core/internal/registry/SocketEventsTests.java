package io.github.glidesocket.core.internal.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.glidesocket.core.RecordingEvents;
import io.github.glidesocket.core.RejectReason;
import io.github.glidesocket.core.SocketEventListener;
import io.github.glidesocket.core.SocketManager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
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
		SocketEvents events = new SocketEvents(List.of(failing));
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
		SocketEvents events = new SocketEvents(List.of(listener));
		events.remove(listener);
		events.socketBound("/p");
		then(listener).shouldHaveNoInteractions();
	}

	@Test
	void listenerAddedToARunningManagerHearsItsSockets(@TempDir Path directory) {
		RecordingEvents recording = new RecordingEvents();
		try (SocketManager manager = SocketManager.builder().shutdownHook(false).build()) {
			manager.addEventListener(recording);
			String path = directory.resolve("e.sock").toString();
			manager.getOrCreate(path).close();
			manager.removeEventListener(recording);
			manager.getOrCreate(path).close();
			assertThat(recording.events).containsExactly("bound " + path, "closed " + path);
		}
	}

}
