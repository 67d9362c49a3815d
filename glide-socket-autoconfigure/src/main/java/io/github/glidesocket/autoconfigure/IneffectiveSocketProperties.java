package io.github.glidesocket.autoconfigure;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Logs once at startup, when the application defines its own
 * {@link io.github.glidesocket.core.SocketManager} bean, the {@code glide.socket.*} properties
 * that are set and have no effect: the socket options and manager settings are those the
 * application built its manager with. They are not applied to that manager: it was built on
 * purpose, a manager's options cannot change once it is built, and silently overriding what the
 * application's code chose would be worse than saying that the properties are not used. Paths,
 * {@code listen-on-startup}, {@code pool-size}, {@code file-check-interval} (as the retry
 * interval of the lifecycle) and {@code shutdown} still apply.
 */
final class IneffectiveSocketProperties implements SmartInitializingSingleton {

	static final String MANAGER_BEAN = "glideSocketManager";

	private static final Log logger = LogFactory.getLog(IneffectiveSocketProperties.class);

	/** Keys of a socket (the default socket's or a named one's) that only build its options. */
	private static final Set<String> SOCKET_OPTION_KEYS = Set.of("permissions", "group", "max-connections",
			"max-connections-per-peer", "max-pending-output", "idle-timeout", "backlog", "max-references",
			"cleanup-delay", "stale-socket-policy", "directory-check");

	/** Keys of the manager's own settings. */
	private static final Set<String> MANAGER_KEYS = Set.of("max-sockets", "leak-detection", "event-loop-threads",
			"max-buffered-bytes");

	private static final Pattern INDEX = Pattern.compile("\\[[^\\]]*\\]");

	private static final String PREFIX = SocketSettings.PREFIX + ".";

	private static final String SOCKETS = PREFIX + "sockets.";

	private final ConfigurableListableBeanFactory beanFactory;

	private final Environment environment;

	IneffectiveSocketProperties(ConfigurableListableBeanFactory beanFactory, Environment environment) {
		this.beanFactory = beanFactory;
		this.environment = environment;
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.beanFactory.containsBeanDefinition(MANAGER_BEAN)) {
			return;
		}
		Set<String> ineffective = ineffective();
		if (!ineffective.isEmpty()) {
			logger.warn("The application defines its own SocketManager bean, so these glide-socket properties have "
					+ "no effect (the manager's own socket options and settings apply): "
					+ String.join(", ", ineffective));
		}
	}

	/**
	 * The properties set in the environment that only build the auto-configured manager.
	 * @return their names, sorted, without list indexes
	 */
	Set<String> ineffective() {
		Set<String> names = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.map(ConfigurationPropertyName::toString)
					.filter((name) -> name.startsWith(PREFIX))
					.map((name) -> INDEX.matcher(name).replaceAll(""))
					.filter(IneffectiveSocketProperties::isIneffective)
					.forEach(names::add);
			}
		}
		return names;
	}

	private static boolean isIneffective(String name) {
		String key;
		if (name.startsWith(SOCKETS)) {
			int dot = name.indexOf('.', SOCKETS.length());
			if (dot < 0) {
				return false;
			}
			key = name.substring(dot + 1);
		}
		else {
			key = name.substring(PREFIX.length());
			if (MANAGER_KEYS.contains(key)) {
				return true;
			}
		}
		return SOCKET_OPTION_KEYS.contains(key) || key.startsWith("peers.") || key.startsWith("servers.");
	}

}
