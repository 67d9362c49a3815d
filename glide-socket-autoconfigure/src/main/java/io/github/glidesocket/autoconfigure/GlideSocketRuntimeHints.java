package io.github.glidesocket.autoconfigure;

import java.util.ServiceLoader;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketManagerProvider;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Runtime hints for glide-socket in a native image: {@link SocketManager#builder()} finds its
 * implementation through {@link ServiceLoader}, which reads the provider's service file and calls
 * the provider's public constructor reflectively. The providers are those on the class path when
 * the application is processed ahead of time.
 */
final class GlideSocketRuntimeHints implements RuntimeHintsRegistrar {

	static final String PROVIDER_SERVICE_FILE = "META-INF/services/" + SocketManagerProvider.class.getName();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(PROVIDER_SERVICE_FILE);
		ClassLoader loader = (classLoader != null) ? classLoader : SocketManagerProvider.class.getClassLoader();
		ServiceLoader.load(SocketManagerProvider.class, loader)
			.stream()
			.forEach((provider) -> hints.reflection()
				.registerType(provider.type(), MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS));
	}

}
