package io.github.glidesocket.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.glidesocket.core.SocketReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Registers a prototype {@link SocketReference} bean for each configured socket, qualified with
 * {@link GlideSocket @GlideSocket} and its name, so that Spring's qualifier matching picks the
 * socket wherever it resolves a dependency. The default socket's bean is also the primary one,
 * for injection points without the annotation; the others are candidates only where their
 * qualifier is asked for.
 * <p>
 * A {@code SocketReference} bean the application defines replaces the bean of the socket its
 * {@code @GlideSocket} names, or of the default socket without the annotation; the other
 * sockets keep theirs.
 */
final class SocketReferenceBeans implements BeanDefinitionRegistryPostProcessor {

	static final String FACTORY_BEAN = "glideSocketReferenceFactory";

	private static final String DEFAULT_BEAN = "glideSocketReference";

	private static final String REGISTERED_HERE = SocketReferenceBeans.class.getName() + ".socket";

	private static final Log logger = LogFactory.getLog(SocketReferenceBeans.class);

	private final Environment environment;

	SocketReferenceBeans(Environment environment) {
		this.environment = environment;
	}

	/**
	 * The name of the reference bean of a socket.
	 * @param socketName the socket's name
	 * @return the bean name
	 */
	static String beanName(String socketName) {
		return ConfiguredSockets.DEFAULT.equals(socketName) ? DEFAULT_BEAN : DEFAULT_BEAN + "." + socketName;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		if (!(registry instanceof ConfigurableListableBeanFactory beanFactory)) {
			return;
		}
		Set<String> replaced = replacedByTheApplication(beanFactory);
		for (String socketName : socketNames()) {
			String beanName = beanName(socketName);
			if (replaced.contains(socketName)) {
				logger.debug("The application defines the SocketReference bean of glide-socket socket '" + socketName + "'");
			}
			else if (!registry.containsBeanDefinition(beanName)) {
				registry.registerBeanDefinition(beanName, definition(socketName));
			}
		}
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
	}

	private Set<String> socketNames() {
		Set<String> names = new LinkedHashSet<>();
		names.add(ConfiguredSockets.DEFAULT);
		Binder.get(this.environment)
			.bind(SocketSettings.PREFIX + ".sockets", Bindable.mapOf(String.class, Object.class))
			.map(Map::keySet)
			.ifBound(names::addAll);
		return names;
	}

	/**
	 * The sockets whose reference bean the application defines itself.
	 */
	private static Set<String> replacedByTheApplication(ConfigurableListableBeanFactory beanFactory) {
		Set<String> replaced = new LinkedHashSet<>();
		for (String beanName : beanFactory.getBeanNamesForType(SocketReference.class, true, false)) {
			if (!beanFactory.containsBeanDefinition(beanName)) {
				continue;
			}
			BeanDefinition definition = beanFactory.getBeanDefinition(beanName);
			if (definition.getAttribute(REGISTERED_HERE) != null) {
				continue;
			}
			replaced.add(qualifiedSocket(beanFactory, beanName, definition));
		}
		return replaced;
	}

	private static String qualifiedSocket(ConfigurableListableBeanFactory beanFactory, String beanName,
			BeanDefinition definition) {
		if (definition instanceof AbstractBeanDefinition abstractDefinition) {
			AutowireCandidateQualifier qualifier = abstractDefinition.getQualifier(GlideSocket.class.getName());
			Object value = (qualifier != null) ? qualifier.getAttribute(AutowireCandidateQualifier.VALUE_KEY) : null;
			if (value instanceof String name) {
				return name;
			}
		}
		GlideSocket annotation = beanFactory.findAnnotationOnBean(beanName, GlideSocket.class, false);
		return (annotation != null) ? annotation.value() : ConfiguredSockets.DEFAULT;
	}

	private static RootBeanDefinition definition(String socketName) {
		RootBeanDefinition definition = new RootBeanDefinition();
		definition.setTargetType(SocketReference.class);
		definition.setFactoryBeanName(FACTORY_BEAN);
		definition.setUniqueFactoryMethodName("reference");
		definition.getConstructorArgumentValues().addIndexedArgumentValue(0, socketName);
		definition.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
		definition.setScope(ConfigurableBeanFactory.SCOPE_PROTOTYPE);
		definition.addQualifier(new AutowireCandidateQualifier(GlideSocket.class, socketName));
		// The default socket's bean serves injection points without a qualifier; the others only
		// those whose @GlideSocket names them.
		boolean defaultSocket = ConfiguredSockets.DEFAULT.equals(socketName);
		definition.setPrimary(defaultSocket);
		definition.setDefaultCandidate(defaultSocket);
		definition.setAttribute(REGISTERED_HERE, socketName);
		return definition;
	}

}
