package io.github.glidesocket.autoconfigure;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketReference;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.InjectionPoint;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Hands out the {@link SocketReference} of each injection point and closes it when the bean
 * that holds it is destroyed.
 * <p>
 * Every reference handed out is remembered in a weak identity set, which never keeps a
 * reference reachable. When a bean is destroyed (a singleton when the context closes, a
 * scoped bean when its scope ends), the {@link SocketReference} values of its fields, including
 * inherited ones, that are in the set are closed. So a reference is released with its owner
 * when the owner keeps it in a field; a reference passed on to some other object, or held by a
 * prototype bean (the container never destroys prototypes), stays open until it is closed,
 * until leak detection releases it after it became unreachable, or until the sockets are shut
 * down with the context.
 */
final class InjectedSocketReferences implements DestructionAwareBeanPostProcessor {

	private static final Log logger = LogFactory.getLog(InjectedSocketReferences.class);

	/** Weak keys; SocketReference does not override equals, so membership is by identity. */
	private final Set<SocketReference> issued = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

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
		this.issued.add(reference);
		if (logger.isDebugEnabled()) {
			logger.debug("Injected a reference to glide-socket socket '" + name + "' (" + reference.path() + ") into "
					+ injectionPoint.getMember()
					+ "; " + reference.referenceCount() + " reference(s) now");
		}
		return reference;
	}

	@Override
	public boolean requiresDestruction(Object bean) {
		return !fields(ClassUtils.getUserClass(bean)).isEmpty();
	}

	@Override
	public void postProcessBeforeDestruction(Object bean, String beanName) {
		for (Field field : fields(ClassUtils.getUserClass(bean))) {
			Object value = ReflectionUtils.getField(field, bean);
			if (value instanceof SocketReference reference && this.issued.remove(reference)) {
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

}
