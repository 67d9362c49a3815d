package io.github.glidesocket.sample.resp;

import org.jspecify.annotations.Nullable;

/**
 * What the server remembers about one connection between its requests. Changed only by that
 * connection's thread; {@code CLIENT LIST} on another connection reads the fields it shows,
 * which are volatile for that.
 */
final class RespSession {

	private final long id;

	private final String socketPath;

	private final long connectedAtMillis;

	private volatile byte @Nullable [] name;

	private volatile byte @Nullable [] libraryName;

	private volatile byte @Nullable [] libraryVersion;

	private volatile RespProtocol protocol = RespProtocol.RESP2;

	private volatile String lastCommand = "NULL";

	private volatile long lastCommandAtMillis;

	private boolean closing;

	/**
	 * Create the session of a connection.
	 * @param id the connection's id, reported by {@code CLIENT ID}
	 * @param socketPath the path of the socket it arrived on
	 * @param connectedAtMillis when it was accepted, on the store's clock
	 */
	RespSession(long id, String socketPath, long connectedAtMillis) {
		this.id = id;
		this.socketPath = socketPath;
		this.connectedAtMillis = connectedAtMillis;
		this.lastCommandAtMillis = connectedAtMillis;
	}

	long id() {
		return this.id;
	}

	String socketPath() {
		return this.socketPath;
	}

	long connectedAtMillis() {
		return this.connectedAtMillis;
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

	/**
	 * The last command the connection ran, or is running.
	 * @return its name, {@code container|name} for a subcommand, {@code NULL} before the first
	 */
	String lastCommand() {
		return this.lastCommand;
	}

	long lastCommandAtMillis() {
		return this.lastCommandAtMillis;
	}

	/**
	 * Remember the command being run.
	 * @param name its name
	 * @param nowMillis the time, on the store's clock
	 */
	void commandStarted(String name, long nowMillis) {
		this.lastCommand = name;
		this.lastCommandAtMillis = nowMillis;
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
