package io.github.glidesocket.autoconfigure;

import java.lang.reflect.Field;
import java.util.List;

import io.github.glidesocket.core.SocketReference;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;

/**
 * Registers reflection hints for the {@link SocketReference} fields of every bean, which
 * {@link InjectedSocketReferences} reads when the bean is destroyed to close the references it
 * handed out. Without them a native image would not find the fields, and injected references
 * would stay open until the sockets shut down. Contributes nothing when glide-socket's injection
 * is not configured.
 */
final class InjectedSocketReferencesAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		if (registeredBean.getBeanFactory().getBeanNamesForType(InjectedSocketReferences.class, true, false).length == 0) {
			return null;
		}
		List<Field> fields = InjectedSocketReferences.socketReferenceFields(registeredBean.getBeanClass());
		if (fields.isEmpty()) {
			return null;
		}
		return (generationContext, beanRegistrationCode) -> fields
			.forEach((field) -> generationContext.getRuntimeHints().reflection().registerField(field));
	}

}
