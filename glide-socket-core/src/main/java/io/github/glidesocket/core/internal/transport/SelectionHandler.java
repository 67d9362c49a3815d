package io.github.glidesocket.core.internal.transport;

import java.nio.channels.SelectionKey;

/**
 * What an {@link EventLoop} calls for a key its selector found ready: the key's attachment.
 */
interface SelectionHandler {

	/**
	 * Serve the ready key, on the thread of the loop whose selector holds it.
	 * @param key the key, possibly no longer valid
	 */
	void ready(SelectionKey key);

	/**
	 * The loop is ending because of an unexpected failure; the key's channel is closed next.
	 * @param failure what ended the loop
	 */
	default void loopFailed(Throwable failure) {
	}

}
