package io.github.glidesocket.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import io.github.glidesocket.core.ChannelConnection;
import io.github.glidesocket.core.EventConnection;
import io.github.glidesocket.core.SocketChannelHandler;
import io.github.glidesocket.core.SocketConnection;
import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketEventHandler;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketSession;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.function.SingletonSupplier;

/**
 * Chooses the handler bean of each configured socket: a {@link SocketConnectionHandler}
 * (a thread per connection) or a {@link SocketEventHandler} (event-loop mode); both kinds are
 * candidates alike.
 * <ul>
 * <li>A named socket is served by the handler bean whose name is the socket's name.</li>
 * <li>The default socket is served by the bean named {@value #DEFAULT_HANDLER_BEAN} if there
 * is one; otherwise by the only handler bean not named after a named socket; otherwise, among
 * several, by the one marked {@code @Primary}. Several candidates and no way to choose fail
 * the startup.</li>
 * </ul>
 * The bean is looked up by name when the manager is built, without creating it, and created
 * on the first connection (or by the container, whichever comes first), so a handler may
 * depend on beans that use the manager or inject socket references.
 */
final class SocketHandlers {

	static final String DEFAULT_HANDLER_BEAN = "glideSocketHandler";

	private final ConfigurableListableBeanFactory beanFactory;

	private final List<String> handlerBeans;

	private final Set<String> socketNames;

	SocketHandlers(ConfigurableListableBeanFactory beanFactory, Set<String> socketNames) {
		this.beanFactory = beanFactory;
		List<String> handlerBeans = new ArrayList<>(
				Arrays.asList(beanFactory.getBeanNamesForType(SocketConnectionHandler.class, true, false)));
		handlerBeans.addAll(Arrays.asList(beanFactory.getBeanNamesForType(SocketEventHandler.class, true, false)));
		this.handlerBeans = handlerBeans;
		this.socketNames = socketNames;
	}

	/**
	 * Set the handler of a configured socket: one that delegates to the chosen bean, of the
	 * bean's kind.
	 * @param socketName the socket's name
	 * @param options the socket's options; left without a handler if there is no bean
	 * @return the options
	 */
	SocketOptions.Builder applyHandler(String socketName, SocketOptions.Builder options) {
		if (ConfiguredSockets.WEB.equals(socketName)) {
			// The web server takes the web socket's connections; only its glue's bean serves them.
			return this.beanFactory.containsBean(GlideSocketAutoConfiguration.WEB_SERVER_SOCKET_BEAN)
					? options.channelHandler(new BeanChannelHandler(this.beanFactory, GlideSocketAutoConfiguration.WEB_SERVER_SOCKET_BEAN)) : options;
		}
		String beanName = ConfiguredSockets.DEFAULT.equals(socketName) ? defaultHandlerBean() : namedHandlerBean(socketName);
		if (beanName == null) {
			return options;
		}
		if (this.beanFactory.isTypeMatch(beanName, SocketEventHandler.class)) {
			return options.eventHandler(new BeanEventHandler(this.beanFactory, beanName));
		}
		return options.handler(new BeanHandler(this.beanFactory, beanName));
	}

	private @Nullable String namedHandlerBean(String socketName) {
		return this.handlerBeans.contains(socketName) ? socketName : null;
	}

	private @Nullable String defaultHandlerBean() {
		if (this.handlerBeans.contains(DEFAULT_HANDLER_BEAN)) {
			return DEFAULT_HANDLER_BEAN;
		}
		List<String> candidates = new ArrayList<>(this.handlerBeans);
		candidates.removeIf((name) -> !ConfiguredSockets.DEFAULT.equals(name) && this.socketNames.contains(name));
		if (candidates.size() <= 1) {
			return candidates.isEmpty() ? null : candidates.get(0);
		}
		List<String> primary = candidates.stream()
			.filter((name) -> this.beanFactory.containsBeanDefinition(name)
					&& this.beanFactory.getMergedBeanDefinition(name).isPrimary())
			.toList();
		if (primary.size() == 1) {
			return primary.get(0);
		}
		throw new IllegalStateException("Cannot choose the connection handler of the default glide-socket socket: "
				+ "the beans " + candidates + " are all candidates. Name the one to use '" + DEFAULT_HANDLER_BEAN
				+ "', mark it @Primary, or name each of the others after a socket in glide.socket.sockets");
	}

	/**
	 * A handler bean, looked up by name and created on first use.
	 *
	 * @param <T> the handler type
	 */
	abstract static class LazyBean<T> {

		private final String beanName;

		private final Class<T> type;

		private final SingletonSupplier<T> bean;

		LazyBean(ConfigurableListableBeanFactory beanFactory, String beanName, Class<T> type) {
			this.beanName = beanName;
			this.type = type;
			this.bean = SingletonSupplier.of(() -> beanFactory.getBean(beanName, type));
		}

		T bean() {
			return this.bean.obtain();
		}

		String beanName() {
			return this.beanName;
		}

		@Override
		public String toString() {
			return this.type.getSimpleName() + " bean '" + this.beanName + "'";
		}

	}

	/**
	 * Serves connections with a handler bean resolved on first use.
	 */
	static final class BeanHandler extends LazyBean<SocketConnectionHandler> implements SocketConnectionHandler {

		BeanHandler(ConfigurableListableBeanFactory beanFactory, String beanName) {
			super(beanFactory, beanName, SocketConnectionHandler.class);
		}

		@Override
		public void handle(SocketConnection connection) throws Exception {
			bean().handle(connection);
		}

	}

	/**
	 * Hands connections to a {@link SocketChannelHandler} bean resolved on first use.
	 */
	static final class BeanChannelHandler extends LazyBean<SocketChannelHandler> implements SocketChannelHandler {

		BeanChannelHandler(ConfigurableListableBeanFactory beanFactory, String beanName) {
			super(beanFactory, beanName, SocketChannelHandler.class);
		}

		@Override
		public void handle(ChannelConnection connection) throws Exception {
			bean().handle(connection);
		}

	}

	/**
	 * Opens sessions with a {@link SocketEventHandler} bean resolved on first use.
	 */
	static final class BeanEventHandler extends LazyBean<SocketEventHandler> implements SocketEventHandler {

		BeanEventHandler(ConfigurableListableBeanFactory beanFactory, String beanName) {
			super(beanFactory, beanName, SocketEventHandler.class);
		}

		@Override
		public SocketSession open(EventConnection connection) throws Exception {
			return bean().open(connection);
		}

	}

}
