package io.github.glidesocket.core.internal.registry;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketManagerProvider;
import io.github.glidesocket.core.SocketManagerSettings;

/**
 * Installs {@link DefaultSocketManager} as the {@link SocketManager} that builders return.
 */
public final class DefaultSocketManagerProvider implements SocketManagerProvider {

	@Override
	public SocketManager create(SocketManagerSettings settings) {
		return DefaultSocketManager.create(settings);
	}

}
