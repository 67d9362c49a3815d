package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which handler failures are a connection that simply ended (logged at debug) rather than a
 * handler failure (logged as a warning with its stack trace).
 */
class ManagedConnectionTests {

	@Test
	void aConnectionEndedUnderTheHandlerIsNotAFailure() {
		// What the JDK's Unix-domain channels throw when the peer has gone.
		assertThat(ManagedConnection.isPeerGone(new IOException("Broken pipe"))).isTrue();
		assertThat(ManagedConnection.isPeerGone(new IOException("Connection reset by peer"))).isTrue();
		assertThat(ManagedConnection.isPeerGone(new ClosedChannelException())).isTrue();
		assertThat(ManagedConnection.isPeerGone(new AsynchronousCloseException())).isTrue();
		assertThat(ManagedConnection.isPeerGone(new SocketException("Socket closed"))).isTrue();
	}

	@Test
	void aBrokenPipeWrappedByAHandlerIsNotAFailure() {
		assertThat(ManagedConnection.isPeerGone(new IllegalStateException(new IOException("Broken pipe")))).isTrue();
	}

	@Test
	void otherFailuresAreHandlerFailures() {
		assertThat(ManagedConnection.isPeerGone(new IOException("No space left on device"))).isFalse();
		assertThat(ManagedConnection.isPeerGone(new SocketException("Too many open files"))).isFalse();
		assertThat(ManagedConnection.isPeerGone(new IllegalStateException("closed"))).isFalse();
		assertThat(ManagedConnection.isPeerGone(new IllegalStateException(new IOException("disk full")))).isFalse();
	}

}
