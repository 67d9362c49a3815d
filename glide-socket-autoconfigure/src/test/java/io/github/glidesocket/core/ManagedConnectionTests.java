package io.github.glidesocket.core;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.AsynchronousCloseException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ManagedConnection}.
 */
class ManagedConnectionTests {

	@Test
	void isPeerGoneWhenBrokenPipeOrResetShouldBeTrue() {
		assertThat(ManagedConnection.isPeerGone(new SocketException("Broken pipe"))).isTrue();
		assertThat(ManagedConnection.isPeerGone(new SocketException("Connection reset by peer"))).isTrue();
	}

	@Test
	void isPeerGoneWhenChannelWriteWrapsBrokenPipeShouldBeTrue() {
		// What junixsocket's channel write throws when the peer has closed.
		AsynchronousCloseException closed = new AsynchronousCloseException();
		closed.initCause(new SocketException("Broken pipe"));
		assertThat(ManagedConnection.isPeerGone(closed)).isTrue();
	}

	@Test
	void isPeerGoneWhenOtherFailureShouldBeFalse() {
		assertThat(ManagedConnection.isPeerGone(new IOException("Broken pipe"))).isFalse();
		assertThat(ManagedConnection.isPeerGone(new AsynchronousCloseException())).isFalse();
		assertThat(ManagedConnection.isPeerGone(new IllegalStateException(new IOException("disk full")))).isFalse();
	}

}
