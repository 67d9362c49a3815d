package io.github.glidesocket.core.internal.registry;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import io.github.glidesocket.core.internal.transport.Listener;

/**
 * Reaches behind the API types in tests of the registry.
 */
public final class Handles {

	private Handles() {
	}

	/**
	 * The generation a reference counts in, as an opaque identity for tests outside this package.
	 * @param reference the reference
	 * @return its generation
	 */
	public static Object generationOf(SocketReference reference) {
		return generation(reference);
	}

	static SocketGeneration generation(SocketReference reference) {
		return ((CountedSocketReference) reference).generation();
	}

	static LeakTracker.Tracked tracked(SocketReference reference) {
		return ((CountedSocketReference) reference).tracked();
	}

	static DefaultSocketManager manager(SocketManager manager) {
		return (DefaultSocketManager) manager;
	}

	static DefaultSocketManager withListeners(SocketManager.Builder builder, Listener.Factory listeners) {
		return DefaultSocketManager.create(builder.settings(), listeners);
	}

}
