package io.github.glidesocket.autoconfigure;

import java.time.Duration;

import io.github.glidesocket.core.RejectReason;
import io.github.glidesocket.core.SocketEventListener;
import org.junit.jupiter.api.Test;

import static org.mockito.BDDMockito.then;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link ForwardingSocketEventListener}.
 */
class ForwardingSocketEventListenerTests {

	private final ForwardingSocketEventListener forwarder = new ForwardingSocketEventListener();

	@Test
	void eventsReachEveryListenerAddedEvenWhenOneFails() {
		SocketEventListener failing = mock(SocketEventListener.class);
		SocketEventListener second = mock(SocketEventListener.class);
		willThrow(new IllegalStateException("boom")).given(failing).connectionAccepted("/p");
		this.forwarder.addListener(failing);
		this.forwarder.addListener(second);
		this.forwarder.connectionAccepted("/p");
		this.forwarder.connectionRejected("/p", RejectReason.LIMIT);
		this.forwarder.socketClosed("/p", Duration.ofMillis(1));
		this.forwarder.referenceLeaked("/p", null);
		then(second).should().connectionAccepted("/p");
		then(second).should().connectionRejected("/p", RejectReason.LIMIT);
		then(second).should().socketClosed("/p", Duration.ofMillis(1));
		then(second).should().referenceLeaked("/p", null);
	}

	@Test
	void removedListenerReceivesNothing() {
		SocketEventListener listener = mock(SocketEventListener.class);
		this.forwarder.addListener(listener);
		this.forwarder.removeListener(listener);
		this.forwarder.socketBound("/p");
		then(listener).shouldHaveNoInteractions();
	}

}
