package dev.subscriptions.subscriptionservice.subscription;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;

/**
 * All invoices.
 */
public interface Invoices extends ListCrudRepository<Invoice, UUID> {

	@Query("select * from invoice where subscription_id = :subscriptionId order by created_at, id")
	List<Invoice> findBySubscriptionId(UUID subscriptionId);

	@Query("select * from invoice where subscription_id = :subscriptionId and status = 'OPEN' order by created_at")
	List<Invoice> findOpenBySubscriptionId(UUID subscriptionId);

	/**
	 * The open invoices of ours (none of a billing provider) of the subscription, oldest
	 * first.
	 */
	@Query("""
			select * from invoice
			where subscription_id = :subscriptionId and status = 'OPEN' and provider is null
			order by created_at, id""")
	List<Invoice> findOpenOfOursBySubscriptionId(UUID subscriptionId);

	/** The invoice a billing provider knows by {@code providerInvoiceId}, locked. */
	@Query("""
			select * from invoice
			where provider = :provider and provider_invoice_id = :providerInvoiceId
			for update""")
	Optional<Invoice> findByProviderInvoiceIdForUpdate(String provider, String providerInvoiceId);

}
