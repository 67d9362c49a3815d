package io.github.glidesocket.sample.resp;

import org.jspecify.annotations.Nullable;

/**
 * The versions of the protocol a connection can speak. Requests look the same in both; only
 * replies differ. A connection speaks {@link #RESP2} until {@code HELLO 3} switches it.
 */
enum RespProtocol {

	/**
	 * RESP2: every reply is a simple string, error, integer, bulk string or array; a null is a
	 * null bulk string and a map is a flat array of keys and values.
	 */
	RESP2(2),

	/**
	 * RESP3: replies also carry their type, with nulls, booleans, doubles, maps, sets, verbatim
	 * strings and push messages of their own.
	 */
	RESP3(3);

	private final int version;

	RespProtocol(int version) {
		this.version = version;
	}

	/**
	 * The number {@code HELLO} takes and reports for this protocol.
	 * @return 2 or 3
	 */
	int version() {
		return this.version;
	}

	/**
	 * The protocol of a version number, as {@code HELLO} asks for it.
	 * @param version the version
	 * @return the protocol, or {@code null} if the version is not spoken
	 */
	static @Nullable RespProtocol of(long version) {
		for (RespProtocol protocol : values()) {
			if (protocol.version == version) {
				return protocol;
			}
		}
		return null;
	}

}
