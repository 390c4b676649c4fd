package dev.subscriptions.web;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.exc.ValueInstantiationException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSource;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.MethodParameter;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.util.ClassUtils;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingRequestCookieException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The errors every service answers alike, as RFC 9457 problems. Lowest precedence: a
 * service's own advice (domain exceptions only, not a
 * {@link ResponseEntityExceptionHandler}) is asked first.
 * <ul>
 * <li>Every 400 of Spring MVC names what is wrong in {@value #ERRORS}, a list of
 * {@link InvalidField}: bean validation, a path variable or query parameter of the wrong
 * type or enum value, a missing parameter, a body that is not JSON or does not fit (the
 * field as a JSON path, e.g. {@code items[0].id}, as far as Jackson knows it).</li>
 * <li>What the database refuses as data (SQLSTATE class 22, e.g. a NUL character in a
 * text) is 400.</li>
 * <li>A unique violation (SQLSTATE 23505) is 409, described by the
 * {@link UniqueConstraint} of the violated constraint's name, with the {@code field} it
 * guards.</li>
 * <li>A row changed by another request meanwhile (optimistic locking) is 409.</li>
 * <li>A database that cannot be reached or that gives up for now is 503; any other
 * database failure is 500 and logged.</li>
 * </ul>
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class SharedProblems extends ResponseEntityExceptionHandler {

	/** The property of a 400 problem that lists each {@link InvalidField}. */
	public static final String ERRORS = "errors";

	/** The field of a problem that concerns the request body as a whole. */
	public static final String BODY = "$";

	private static final String UNIQUE_VIOLATION = "23505";

	private static final boolean POSTGRESQL_PRESENT = ClassUtils.isPresent("org.postgresql.util.PSQLException",
			SharedProblems.class.getClassLoader());

	private final Map<String, UniqueConstraint> constraints;

	public SharedProblems(Collection<UniqueConstraint> constraints) {
		this.constraints = constraints.stream()
			.collect(Collectors.toUnmodifiableMap(UniqueConstraint::name, Function.identity()));
	}

	@ExceptionHandler
	ProblemDetail concurrentChange(OptimisticLockingFailureException exception) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"Changed by another request; read it again and retry");
		problem.setTitle("Concurrent change");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail duplicate(DuplicateKeyException exception) {
		return uniqueViolation(exception);
	}

	/**
	 * A database failure that is none of the above: bad data 400, a wrapped unique
	 * violation or concurrent change 409, an outage 503, otherwise 500.
	 */
	@ExceptionHandler
	ProblemDetail databaseFailure(DataAccessException exception) {
		String sqlState = sqlState(exception);
		if (UNIQUE_VIOLATION.equals(sqlState)) {
			return uniqueViolation(exception);
		}
		if (sqlState != null && sqlState.startsWith("22")) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
					"A value cannot be stored (SQLSTATE " + sqlState + "), e.g. it contains a NUL character");
			problem.setTitle("Invalid value");
			return problem;
		}
		for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
			if (cause instanceof OptimisticLockingFailureException concurrent) {
				return concurrentChange(concurrent);
			}
		}
		if (exception instanceof TransientDataAccessException
				|| exception instanceof DataAccessResourceFailureException) {
			return databaseUnavailable(exception);
		}
		this.logger.error("Database failure", exception);
		ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.INTERNAL_SERVER_ERROR);
		problem.setTitle("Internal error");
		return problem;
	}

	/**
	 * A transaction that cannot begin because no connection can be had: the database is
	 * unavailable.
	 */
	@ExceptionHandler
	ProblemDetail transactionUnavailable(CannotCreateTransactionException exception) {
		return databaseUnavailable(exception);
	}

	private ProblemDetail databaseUnavailable(Exception exception) {
		this.logger.warn("Database unavailable: " + exception.getMessage());
		ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.SERVICE_UNAVAILABLE);
		problem.setTitle("Database unavailable");
		return problem;
	}

	private ProblemDetail uniqueViolation(DataAccessException exception) {
		UniqueConstraint constraint = violatedConstraint(exception);
		if (constraint == null) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
					"Conflicts with an existing row");
			problem.setTitle("Already exists");
			return problem;
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, constraint.detail());
		problem.setTitle(constraint.title());
		problem.setProperty("field", constraint.field());
		return problem;
	}

	/**
	 * The declared constraint the database names in its error; without a driver that
	 * reports it, the longest declared name that the error message mentions.
	 */
	private @Nullable UniqueConstraint violatedConstraint(DataAccessException exception) {
		if (POSTGRESQL_PRESENT) {
			String name = PostgresqlErrors.constraintName(exception);
			if (name != null) {
				return this.constraints.get(name);
			}
		}
		List<String> messages = new ArrayList<>();
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			messages.add(String.valueOf(cause.getMessage()));
		}
		return this.constraints.values()
			.stream()
			.filter(constraint -> messages.stream().anyMatch(message -> message.contains(constraint.name())))
			.max(Comparator.comparingInt(constraint -> constraint.name().length()))
			.orElse(null);
	}

	private static @Nullable String sqlState(Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null) {
				return sql.getSQLState();
			}
		}
		return null;
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<InvalidField> errors = new ArrayList<>();
		exception.getBindingResult().getGlobalErrors().forEach(error -> errors.add(invalid(BODY, error)));
		exception.getBindingResult().getFieldErrors().forEach(error -> errors.add(invalid(error.getField(), error)));
		return withErrors(super.handleMethodArgumentNotValid(exception, headers, status, request), errors);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException exception, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		List<InvalidField> errors = new ArrayList<>();
		for (ParameterValidationResult result : exception.getParameterValidationResults()) {
			String name = parameterName(result.getMethodParameter());
			String element = element(result);
			if (result instanceof ParameterErrors parameterErrors) {
				String prefix = BODY.equals(name) ? element : name + element;
				for (ObjectError error : parameterErrors.getGlobalErrors()) {
					errors.add(invalid(prefix.isEmpty() ? BODY : prefix, error));
				}
				for (FieldError error : parameterErrors.getFieldErrors()) {
					errors.add(invalid(prefix.isEmpty() ? error.getField() : prefix + "." + error.getField(), error));
				}
			}
			else {
				for (MessageSourceResolvable error : result.getResolvableErrors()) {
					errors.add(invalid(BODY.equals(name) && !element.isEmpty() ? element : name + element, error));
				}
			}
		}
		exception.getCrossParameterValidationResults().forEach(error -> errors.add(invalid(BODY, error)));
		return withErrors(super.handleHandlerMethodValidationException(exception, headers, status, request), errors);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException exception, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (exception.getPropertyName() != null) ? exception.getPropertyName() : BODY;
		return withErrors(super.handleTypeMismatch(exception, headers, status, request),
				List.of(new InvalidField(name, typeMismatch(exception))));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMissingServletRequestParameter(
			MissingServletRequestParameterException exception, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		return withErrors(super.handleMissingServletRequestParameter(exception, headers, status, request),
				List.of(new InvalidField(exception.getParameterName(), "is required")));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMissingServletRequestPart(
			MissingServletRequestPartException exception, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		return withErrors(super.handleMissingServletRequestPart(exception, headers, status, request),
				List.of(new InvalidField(exception.getRequestPartName(), "is required")));
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMissingPathVariable(MissingPathVariableException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ResponseEntity<Object> response = super.handleMissingPathVariable(exception, headers, status, request);
		return exception.isMissingAfterConversion()
				? withErrors(response, List.of(new InvalidField(exception.getVariableName(), "is required")))
				: response;
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleServletRequestBindingException(
			ServletRequestBindingException exception, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ResponseEntity<Object> response = super.handleServletRequestBindingException(exception, headers, status,
				request);
		if (exception instanceof MissingRequestHeaderException header) {
			return withErrors(response, List.of(new InvalidField(header.getHeaderName(), "is required")));
		}
		if (exception instanceof MissingRequestCookieException cookie) {
			return withErrors(response, List.of(new InvalidField(cookie.getCookieName(), "is required")));
		}
		return response;
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		JacksonException jackson = null;
		for (Throwable cause = exception.getCause(); cause != null && jackson == null; cause = cause.getCause()) {
			jackson = (cause instanceof JacksonException json) ? json : null;
		}
		InvalidField error = (jackson != null) ? JsonErrors.invalidField(jackson)
				: new InvalidField(BODY, String.valueOf(exception.getMessage()).startsWith("Required request body")
						? "is required" : "cannot be read");
		return withErrors(super.handleHttpMessageNotReadable(exception, headers, status, request), List.of(error));
	}

	private InvalidField invalid(String field, MessageSourceResolvable error) {
		MessageSource messageSource = getMessageSource();
		String message = (messageSource != null) ? messageSource.getMessage(error, LocaleContextHolder.getLocale())
				: error.getDefaultMessage();
		return new InvalidField(field, (message != null) ? message : "is invalid");
	}

	private static @Nullable ResponseEntity<Object> withErrors(@Nullable ResponseEntity<Object> response,
			List<InvalidField> errors) {
		if (response != null && response.getBody() instanceof ProblemDetail problem && !errors.isEmpty()) {
			problem.setProperty(ERRORS, errors);
		}
		return response;
	}

	/**
	 * How a client names a parameter: its name in the request, else the body as a whole.
	 */
	private static String parameterName(MethodParameter parameter) {
		RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
		if (requestParam != null && !requestParam.name().isEmpty()) {
			return requestParam.name();
		}
		PathVariable pathVariable = parameter.getParameterAnnotation(PathVariable.class);
		if (pathVariable != null && !pathVariable.name().isEmpty()) {
			return pathVariable.name();
		}
		RequestHeader requestHeader = parameter.getParameterAnnotation(RequestHeader.class);
		if (requestHeader != null && !requestHeader.name().isEmpty()) {
			return requestHeader.name();
		}
		CookieValue cookieValue = parameter.getParameterAnnotation(CookieValue.class);
		if (cookieValue != null && !cookieValue.name().isEmpty()) {
			return cookieValue.name();
		}
		RequestPart requestPart = parameter.getParameterAnnotation(RequestPart.class);
		if (requestPart != null && !requestPart.name().isEmpty()) {
			return requestPart.name();
		}
		if (parameter.hasParameterAnnotation(RequestBody.class)) {
			return BODY;
		}
		String name = parameter.getParameterName();
		return (name != null) ? name : "arg" + parameter.getParameterIndex();
	}

	/**
	 * {@code [2]} or {@code [key]} for an element of a list or map parameter, otherwise
	 * empty.
	 */
	private static String element(ParameterValidationResult result) {
		if (result.getContainerIndex() != null) {
			return "[" + result.getContainerIndex() + "]";
		}
		return (result.getContainerKey() != null) ? "[" + result.getContainerKey() + "]" : "";
	}

	private static String typeMismatch(TypeMismatchException exception) {
		Class<?> type = exception.getRequiredType();
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(exception);
		if (type != null && type.isEnum()) {
			boolean ownConverter = cause != exception && cause.getMessage() != null
					&& !cause.getMessage().startsWith("No enum constant");
			return ownConverter ? cause.getMessage() : "must be one of " + Arrays.toString(type.getEnumConstants());
		}
		return "must be " + JsonErrors.describe(type);
	}

	/** Kept apart so that the driver's classes load only where the driver is present. */
	private static final class PostgresqlErrors {

		static @Nullable String constraintName(Throwable exception) {
			for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
				if (cause instanceof org.postgresql.util.PSQLException postgres
						&& postgres.getServerErrorMessage() != null) {
					return postgres.getServerErrorMessage().getConstraint();
				}
			}
			return null;
		}

	}

	/** What Jackson knows about a body it could not read. */
	static final class JsonErrors {

		private static final String ENUM_VALUES = "not one of the values accepted for Enum class: ";

		static InvalidField invalidField(JacksonException exception) {
			String path = path(exception);
			return new InvalidField(path.isEmpty() ? BODY : path, message(exception));
		}

		/**
		 * {@code items[0].id}: from the references of a databind error, else from where
		 * the parser stopped.
		 */
		static String path(JacksonException exception) {
			StringBuilder path = new StringBuilder();
			for (JacksonException.Reference reference : exception.getPath()) {
				if (reference.getPropertyName() != null) {
					path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
				}
				else if (reference.getIndex() >= 0) {
					path.append('[').append(reference.getIndex()).append(']');
				}
			}
			if (path.isEmpty() && exception.processor() instanceof JsonParser parser) {
				return path(parser.streamReadContext());
			}
			return path.toString();
		}

		private static String path(@Nullable TokenStreamContext context) {
			List<String> segments = new ArrayList<>();
			for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
				if (at.inArray()) {
					segments.add(0, "[" + Math.max(at.getCurrentIndex(), 0) + "]");
				}
				else if (at.currentName() != null) {
					segments.add(0, "." + at.currentName());
				}
			}
			String path = String.join("", segments);
			return path.startsWith(".") ? path.substring(1) : path;
		}

		static String message(JacksonException exception) {
			if (exception instanceof ValueInstantiationException && exception.getCause() != null
					&& exception.getCause().getMessage() != null) {
				return exception.getCause().getMessage();
			}
			if (exception instanceof PropertyBindingException) {
				return "is not a known field";
			}
			String original = String.valueOf(exception.getOriginalMessage());
			if (exception instanceof InvalidFormatException || exception instanceof MismatchedInputException) {
				int values = original.indexOf(ENUM_VALUES);
				if (values >= 0) {
					return "must be one of " + original.substring(values + ENUM_VALUES.length()).trim();
				}
				Class<?> type = ((MismatchedInputException) exception).getTargetType();
				if (type != null) {
					return "must be " + describe(type);
				}
			}
			if (exception instanceof StreamReadException) {
				String message = original.replaceAll("\\s*\\((start marker at )?\\[Source.*$", "")
					.replaceAll("\\s*at \\[Source.*$", "");
				TokenStreamLocation location = exception.getLocation();
				return (location != null && location.getLineNr() > 0)
						? message + " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")"
						: message;
			}
			return "cannot be read";
		}

		/**
		 * A value's type as a client sees it: {@code a UUID}, {@code an integer},
		 * {@code one of [A, B]}.
		 */
		static String describe(@Nullable Class<?> type) {
			if (type == null) {
				return "a valid value";
			}
			Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
			if (boxed.isEnum()) {
				return "one of " + Arrays.toString(boxed.getEnumConstants());
			}
			if (boxed == UUID.class) {
				return "a UUID";
			}
			if (boxed == Integer.class || boxed == Long.class || boxed == Short.class || boxed == Byte.class
					|| boxed == java.math.BigInteger.class) {
				return "an integer";
			}
			if (Number.class.isAssignableFrom(boxed)) {
				return "a number";
			}
			if (boxed == Boolean.class) {
				return "true or false";
			}
			if (boxed == String.class || CharSequence.class.isAssignableFrom(boxed)) {
				return "a string";
			}
			if (boxed.isArray() || Collection.class.isAssignableFrom(boxed)) {
				return "an array";
			}
			if (boxed.getName().startsWith("java.time.")) {
				return "a " + boxed.getSimpleName() + " in ISO-8601";
			}
			return "an object";
		}

		private JsonErrors() {
		}

	}

}
