package eu.massbalance.ledger.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A supplier's certificate as an organisation registered it, and its revocation if any. */
@Entity
@Table(name = "certificate")
public class CertificateEntity extends PanacheEntityBase {

    @Embeddable
    public record Key(@Column(name = "organisation_id") String organisationId,
                      @Column(name = "supplier_id") String supplierId,
                      @Column(name = "certificate_id") String certificateId) implements Serializable {
    }

    @EmbeddedId
    public Key id;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "registration", nullable = false)
    public String registration;

    @Column(name = "revoked_from")
    public LocalDate revokedFrom;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "revocation")
    public String revocation;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
