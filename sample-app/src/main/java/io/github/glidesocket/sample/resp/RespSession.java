package io.github.glidesocket.sample.resp;

import org.jspecify.annotations.Nullable;

/**
 * What the server remembers about one connection between its requests. Used only by that
 * connection's thread.
 */
final class RespSession {

	private final long id;

	private byte @Nullable [] name;

	private byte @Nullable [] libraryName;

	private byte @Nullable [] libraryVersion;

	private RespProtocol protocol = RespProtocol.RESP2;

	private boolean closing;

	RespSession(long id) {
		this.id = id;
	}

	long id() {
		return this.id;
	}

	byte @Nullable [] name() {
		return this.name;
	}

	/**
	 * Name the connection ({@code CLIENT SETNAME}).
	 * @param name the name; empty to remove it
	 */
	void name(byte[] name) {
		this.name = (name.length != 0) ? name : null;
	}

	byte @Nullable [] libraryName() {
		return this.libraryName;
	}

	void libraryName(byte[] libraryName) {
		this.libraryName = (libraryName.length != 0) ? libraryName : null;
	}

	byte @Nullable [] libraryVersion() {
		return this.libraryVersion;
	}

	void libraryVersion(byte[] libraryVersion) {
		this.libraryVersion = (libraryVersion.length != 0) ? libraryVersion : null;
	}

	/**
	 * The protocol the connection speaks.
	 * @return the protocol, {@link RespProtocol#RESP2} until {@code HELLO} changes it
	 */
	RespProtocol protocol() {
		return this.protocol;
	}

	void protocol(RespProtocol protocol) {
		this.protocol = protocol;
	}

	boolean isClosing() {
		return this.closing;
	}

	/**
	 * Ask for the connection to close once the current reply is sent ({@code QUIT}).
	 */
	void close() {
		this.closing = true;
	}

}
