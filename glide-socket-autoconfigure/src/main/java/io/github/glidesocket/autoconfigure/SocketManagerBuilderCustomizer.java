package io.github.glidesocket.autoconfigure;

import io.github.glidesocket.core.SocketManager;

/**
 * Callback to customize the {@link SocketManager.Builder} of the auto-configured
 * {@link SocketManager} after the {@code glide.socket.*} properties have been applied, for
 * example to add a {@link io.github.glidesocket.core.SocketEventListener} or give one socket
 * options that properties cannot express. Customizers run in {@link org.springframework.core.Ordered
 * order}.
 */
@FunctionalInterface
public interface SocketManagerBuilderCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder of the manager about to be created
	 */
	void customize(SocketManager.Builder builder);

}
