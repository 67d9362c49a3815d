package io.github.glidesocket.core;

import java.util.ServiceLoader;

/**
 * Creates the {@link SocketManager} that {@link SocketManager.Builder#build()} returns: the seam
 * between this API package and the implementation, found with {@link ServiceLoader}. The core
 * jar provides one; applications do not implement it.
 */
public interface SocketManagerProvider {

	/**
	 * Create a manager.
	 * @param settings what the builder collected
	 * @return a new manager
	 * @throws SocketPathException if a configured path is unusable
	 */
	SocketManager create(SocketManagerSettings settings);

	/**
	 * The provider on this class path, found once.
	 * @return the provider
	 * @throws IllegalStateException if there is none, for example in a shaded jar that dropped
	 * the {@code META-INF/services} entries
	 */
	static SocketManagerProvider load() {
		return InstalledProvider.INSTANCE;
	}

}
