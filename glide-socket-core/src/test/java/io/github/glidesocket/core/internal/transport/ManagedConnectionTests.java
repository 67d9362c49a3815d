package io.github.glidesocket.core.internal.transport;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;

import org.junit.jupiter.api.Test;
import org.newsclub.net.unix.BrokenPipeSocketException;
import org.newsclub.net.unix.ConnectionResetSocketException;
import org.newsclub.net.unix.SocketClosedException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which handler failures are a connection that simply ended (logged at debug) rather than a
 * handler failure (logged as a warning with its stack trace).
 */
class ManagedConnectionTests {

	@Test
	void aConnectionEndedUnderTheHandlerIsNotAFailure() {
		assertThat(ManagedConnection.isPeerGone(new SocketClosedException("Not open"))).isTrue();
		assertThat(ManagedConnection.isPeerGone(new BrokenPipeSocketException("Broken pipe"))).isTrue();
		assertThat(ManagedConnection.isPeerGone(new ConnectionResetSocketException("Connection reset by peer")))
			.isTrue();
		assertThat(ManagedConnection.isPeerGone(new SocketException("Broken pipe"))).isTrue();
		assertThat(ManagedConnection.isPeerGone(new SocketException("Connection reset by peer"))).isTrue();
		assertThat(ManagedConnection.isPeerGone(new SocketException("Socket closed"))).isTrue();
	}

	@Test
	void aBrokenPipeWrappedByAChannelWriteIsNotAFailure() {
		// What junixsocket's channel write throws when the peer has closed.
		AsynchronousCloseException closed = new AsynchronousCloseException();
		closed.initCause(new SocketException("Broken pipe"));
		assertThat(ManagedConnection.isPeerGone(closed)).isTrue();
	}

	@Test
	void otherFailuresAreHandlerFailures() {
		assertThat(ManagedConnection.isPeerGone(new IOException("No space left on device"))).isFalse();
		assertThat(ManagedConnection.isPeerGone(new IOException("Broken pipe"))).isFalse();
		assertThat(ManagedConnection.isPeerGone(new SocketException("Too many open files"))).isFalse();
		assertThat(ManagedConnection.isPeerGone(new AsynchronousCloseException())).isFalse();
		assertThat(ManagedConnection.isPeerGone(new IllegalStateException("closed"))).isFalse();
		assertThat(ManagedConnection.isPeerGone(new IllegalStateException(new IOException("disk full")))).isFalse();
	}

}
