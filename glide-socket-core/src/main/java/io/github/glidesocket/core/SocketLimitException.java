package io.github.glidesocket.core;

/**
 * A configured limit on references per socket or sockets per manager was reached. Nothing was
 * acquired or created; the existing sockets and references are unaffected.
 */
public class SocketLimitException extends GlideSocketException {

	private final Kind kind;

	private final int limit;

	public SocketLimitException(String path, Kind kind, String message, int limit) {
		super(path, message, null);
		this.kind = kind;
		this.limit = limit;
	}

	/**
	 * Which limit was reached.
	 * @return the kind of limit
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * The limit that was reached.
	 * @return the configured maximum
	 */
	public int getLimit() {
		return this.limit;
	}

	/**
	 * The limits a manager enforces.
	 */
	public enum Kind {

		/** References to one socket ({@link SocketOptions#maxReferences()}). */
		REFERENCES,

		/** Sockets of one manager. */
		SOCKETS

	}

}
