package io.github.glidesocket.core;

import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Finds the {@link SocketManagerProvider} once, with the class loader that loaded this API, so
 * that the API package never names the implementation.
 */
final class InstalledProvider {

	static final SocketManagerProvider INSTANCE = find();

	private InstalledProvider() {
	}

	private static SocketManagerProvider find() {
		Iterator<SocketManagerProvider> providers = ServiceLoader
			.load(SocketManagerProvider.class, SocketManagerProvider.class.getClassLoader())
			.iterator();
		if (!providers.hasNext()) {
			throw new IllegalStateException("No " + SocketManagerProvider.class.getName() + " found: the"
					+ " glide-socket-core jar's META-INF/services entry is missing (a shaded jar must merge"
					+ " service files)");
		}
		return providers.next();
	}

}
