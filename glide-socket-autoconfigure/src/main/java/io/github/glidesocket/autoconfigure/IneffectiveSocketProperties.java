package io.github.glidesocket.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
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
 * interval of the lifecycle), {@code shutdown} and {@code exit-after-takeover} still apply.
 * <p>
 * The other keys are read from {@link GlideSocketProperties} and
 * {@link GlideSocketProperties.Socket} themselves, so a property added there is covered at once.
 */
final class IneffectiveSocketProperties implements SmartInitializingSingleton {

	static final String MANAGER_BEAN = "glideSocketManager";

	private static final Log logger = LogFactory.getLog(IneffectiveSocketProperties.class);

	/**
	 * Keys read by other beans than the auto-configured manager (the lifecycle, the exit after a
	 * takeover): they apply to an application's own manager too. {@code sockets} holds the named
	 * sockets, whose keys are judged one by one.
	 */
	static final Set<String> EFFECTIVE_KEYS = Set.of("enabled", "path", "listen-on-startup", "pool-size",
			"file-check-interval", "shutdown", "exit-after-takeover", "sockets");

	/** Keys of {@code glide.socket.*} that only build the manager; a group's ends with a dot. */
	private static final Set<String> MANAGER_KEYS = ineffectiveKeys(GlideSocketProperties.class);

	/** Keys of {@code glide.socket.sockets.<name>.*} that only build the manager. */
	private static final Set<String> SOCKET_KEYS = ineffectiveKeys(GlideSocketProperties.Socket.class);

	private static final Pattern INDEX = Pattern.compile("\\[[^\\]]*\\]");

	private static final String PREFIX = SocketSettings.PREFIX + ".";

	private static final String SOCKETS = PREFIX + "sockets.";

	/** The web socket's keys are judged as a named socket's ({@code tcp} is the web server's). */
	private static final String WEB = PREFIX + "web.";

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
		if (name.startsWith(WEB)) {
			return matches(SOCKET_KEYS, name.substring(WEB.length()));
		}
		if (name.startsWith(SOCKETS)) {
			int dot = name.indexOf('.', SOCKETS.length());
			return dot >= 0 && matches(SOCKET_KEYS, name.substring(dot + 1));
		}
		return matches(MANAGER_KEYS, name.substring(PREFIX.length()));
	}

	private static boolean matches(Set<String> keys, String key) {
		if (keys.contains(key)) {
			return true;
		}
		int dot = key.indexOf('.');
		return dot > 0 && keys.contains(key.substring(0, dot + 1));
	}

	/**
	 * The keys of a properties class that are not {@link #EFFECTIVE_KEYS}: a property's dashed
	 * name, or a nested group's followed by a dot.
	 */
	private static Set<String> ineffectiveKeys(Class<?> properties) {
		Set<String> keys = new TreeSet<>();
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(properties)) {
			if (property.getReadMethod() == null || property.getName().equals("class")) {
				continue;
			}
			String key = DataObjectPropertyName.toDashedForm(property.getName());
			if (EFFECTIVE_KEYS.contains(key)) {
				continue;
			}
			Class<?> type = property.getPropertyType();
			boolean group = type.getDeclaringClass() == GlideSocketProperties.class && !type.isEnum();
			keys.add(group ? key + "." : key);
		}
		return Set.copyOf(keys);
	}

}
