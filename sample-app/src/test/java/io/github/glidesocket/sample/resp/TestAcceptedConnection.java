package io.github.glidesocket.sample.resp;

import java.time.Instant;

import io.github.glidesocket.core.AcceptedConnection;
import io.github.glidesocket.core.PeerCredentials;

/**
 * What the in-memory test connections of both modes tell about themselves.
 */
abstract class TestAcceptedConnection implements AcceptedConnection {

	private final long id;

	TestAcceptedConnection(long id) {
		this.id = id;
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public String socketPath() {
		return "/tmp/test.sock";
	}

	@Override
	public PeerCredentials peer() {
		return new PeerCredentials(ProcessHandle.current().pid(), 1000, 1000, new long[] { 1000 });
	}

	@Override
	public Instant connectedAt() {
		return Instant.EPOCH;
	}

}
