package io.github.glidesocket.autoconfigure;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Hands out the {@link SocketReference} of each injection point, remembers where it went (for
 * the actuator endpoint's list of holders) and closes it when the bean that holds it is
 * destroyed.
 * <p>
 * Every reference handed out is remembered in a weak identity map, which never keeps a
 * reference reachable, with its injection point, the time and, once the bean that keeps it in a
 * field is initialised, that bean's name. When a bean is destroyed (a singleton when the context closes, a
 * scoped bean when its scope ends), the {@link SocketReference} values of its fields, including
 * inherited ones, that are in the set are closed. So a reference is released with its owner
 * when the owner keeps it in a field; a reference passed on to some other object, or held by a
 * prototype bean (the container never destroys prototypes), stays open until it is closed,
 * until leak detection releases it after it became unreachable, or until the sockets are shut
 * down with the context.
 */
public final class InjectedSocketReferences implements DestructionAwareBeanPostProcessor {

	private static final Log logger = LogFactory.getLog(InjectedSocketReferences.class);

	/** Weak keys; SocketReference does not override equals, so membership is by identity. */
	private final Map<SocketReference, Issued> issued = Collections.synchronizedMap(new WeakHashMap<>());

	InjectedSocketReferences() {
	}

	private final Map<Class<?>, List<Field>> referenceFields = new ConcurrentHashMap<>();

	/**
	 * Acquire the reference of one injection point on the named socket; for a pool, on the
	 * member with the fewest references.
	 * @param name the configured socket's name
	 * @param injectionPoint the injection point
	 * @param manager the manager
	 * @param sockets the configured sockets
	 * @return a new reference
	 */
	SocketReference acquire(String name, InjectionPoint injectionPoint, SocketManager manager,
			ConfiguredSockets sockets) {
		String path = sockets.path(name);
		int poolSize = sockets.poolSize(name);
		SocketReference reference = (poolSize > 1) ? manager.pool(path, poolSize).acquire() : manager.getOrCreate(path);
		this.issued.put(reference, new Issued(describe(injectionPoint), Instant.now()));
		if (logger.isDebugEnabled()) {
			logger.debug("Injected a reference to glide-socket socket '" + name + "' (" + reference.path() + ") into "
					+ injectionPoint.getMember()
					+ "; " + reference.referenceCount() + " reference(s) now");
		}
		return reference;
	}

	/**
	 * The references injected into beans that are still open, on the socket at the path.
	 * @param path the socket path
	 * @param manager the manager of the socket, which knows each reference's
	 * {@link SocketManager#holderIdentity(SocketReference) identity} among its holders
	 * @return the injections, in no particular order
	 */
	public List<Injection> injectionsInto(String path, SocketManager manager) {
		List<Injection> injections = new ArrayList<>();
		synchronized (this.issued) {
			this.issued.forEach((reference, issued) -> {
				if (reference.path().equals(path) && reference.isActive()) {
					int identity = manager.holderIdentity(reference).orElse(System.identityHashCode(reference));
					injections.add(new Injection(identity, issued.bean,
							issued.injectionPoint, issued.injectedAt));
				}
			});
		}
		return injections;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		for (Field field : fields(ClassUtils.getUserClass(bean))) {
			if (ReflectionUtils.getField(field, bean) instanceof SocketReference reference) {
				Issued issued = this.issued.get(reference);
				if (issued != null && issued.bean == null) {
					issued.bean = beanName;
				}
			}
		}
		return bean;
	}

	/**
	 * Where a reference is injected, as a user reads it: the field, or the parameter of a
	 * constructor or method.
	 */
	static String describe(InjectionPoint injectionPoint) {
		Field field = injectionPoint.getField();
		if (field != null) {
			return "field '" + field.getName() + "' of " + field.getDeclaringClass().getName();
		}
		MethodParameter parameter = injectionPoint.getMethodParameter();
		if (parameter != null) {
			Executable executable = parameter.getExecutable();
			String owner = (executable instanceof Constructor<?>) ? "constructor of " + executable.getDeclaringClass().getName()
					: "method '" + executable.getName() + "' of " + executable.getDeclaringClass().getName();
			return "parameter " + parameter.getParameterIndex() + " of " + owner;
		}
		return String.valueOf(injectionPoint.getMember());
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return !fields(ClassUtils.getUserClass(bean)).isEmpty();
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) {
		for (Field field : fields(ClassUtils.getUserClass(bean))) {
			Object value = ReflectionUtils.getField(field, bean);
			if (value instanceof SocketReference reference && this.issued.remove(reference) != null) {
				reference.close();
				if (logger.isDebugEnabled()) {
					logger.debug("Closed the reference to '" + reference.path() + "' held by bean '" + beanName + "' in "
							+ field.getName());
				}
			}
		}
	}

	private List<Field> fields(Class<?> type) {
		return this.referenceFields.computeIfAbsent(type, InjectedSocketReferences::findFields);
	}

	private static List<Field> findFields(Class<?> type) {
		List<Field> fields = new ArrayList<>();
		for (Field field : socketReferenceFields(type)) {
			try {
				ReflectionUtils.makeAccessible(field);
				fields.add(field);
			}
			catch (RuntimeException ex) {
				// Not accessible (a class in a module that does not open its package).
				logger.debug("Cannot read field " + field + "; a SocketReference in it is not closed with its bean", ex);
			}
		}
		return fields.isEmpty() ? List.of() : List.copyOf(fields);
	}

	/**
	 * The instance fields of a class and its superclasses whose type is {@link SocketReference}:
	 * those read when a bean of the class is destroyed.
	 * @param type the bean class
	 * @return the fields
	 */
	static List<Field> socketReferenceFields(Class<?> type) {
		List<Field> fields = new ArrayList<>();
		ReflectionUtils.doWithFields(type, fields::add,
				(field) -> field.getType() == SocketReference.class && !Modifier.isStatic(field.getModifiers()));
		return fields;
	}

	/**
	 * A reference injected into a bean.
	 *
	 * @param identity the reference's identity among the holders of its socket
	 * @param bean the name of the bean that keeps it in a field, or {@code null} if none does
	 * @param injectionPoint where it was injected
	 * @param injectedAt when it was injected
	 */
	public record Injection(int identity, @Nullable String bean, String injectionPoint, Instant injectedAt) {
	}

	/**
	 * What is known of an issued reference; the bean's name is learnt after its initialisation.
	 */
	private static final class Issued {

		private final String injectionPoint;

		private final Instant injectedAt;

		private volatile @Nullable String bean;

		Issued(String injectionPoint, Instant injectedAt) {
			this.injectionPoint = injectionPoint;
			this.injectedAt = injectedAt;
		}

	}

}
