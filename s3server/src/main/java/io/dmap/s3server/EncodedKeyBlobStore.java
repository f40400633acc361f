package io.dmap.s3server;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * S3Proxy's store behind a {@link KeyCodec}: every key is stored under its hex name, so long keys, any UTF-8,
 * {@code a} beside {@code a/b}, {@code .} and {@code ..} segments all work as on S3. S3Proxy above sees the keys as
 * the client sent them. Listing passes prefix, start-after and page size through (the encoding keeps order and
 * prefixes) and groups by the delimiter here, since the store's folders no longer follow the key's slashes.
 * Object versions are not supported (dmap does not use them): ListObjectVersions answers 501 NotImplemented.
 */
public final class EncodedKeyBlobStore extends ForwardingBlobStore {

    /** Continuation tokens are ours: K + the last key returned, or P + the last common prefix returned (base64url). */
    private static final Base64.Encoder TOKEN = Base64.getUrlEncoder().withoutPadding();

    public EncodedKeyBlobStore(BlobStore delegate) {
        super(delegate);
    }

    private static String enc(String key) {
        return key == null ? null : KeyCodec.encode(key);
    }

    @Override
    public boolean blobExists(String container, String name) {
        return super.blobExists(container, enc(name));
    }

    /** S3's limit: a key is at most 1,024 bytes of UTF-8. */
    static final int MAX_KEY_BYTES = 1024;

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        checkLength(request.key());
        return super.putBlob(request.toBuilder().key(enc(request.key())).build(), input);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        checkLength(request.destinationKey());
        return super.copyBlob(request.toBuilder().sourceKey(enc(request.sourceKey()))
                .destinationKey(enc(request.destinationKey())).build());
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        return super.blobMetadata(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        return super.getBlob(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        return super.removeBlob(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String name) {
        return super.getBlobAccess(container, enc(name));
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String name, String versionId) {
        return super.getBlobAccess(container, enc(name), versionId);
    }

    @Override
    public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
        return super.getBlobAcl(request.toBuilder().key(enc(request.key())).build());
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access) {
        super.setBlobAccess(container, enc(name), access);
    }

    @Override
    public void setBlobAccess(String container, String name, ObjectCannedACL access, String versionId) {
        super.setBlobAccess(container, enc(name), access, versionId);
    }

    // Multipart uploads: S3Proxy builds the upload it hands back from the request's (plain) key, so every upload
    // crossing this class is plain above and encoded below.

    private static MultipartUpload encoded(MultipartUpload upload) {
        CreateMultipartUploadRequest r = upload.request();
        return new MultipartUpload(upload.id(), r.toBuilder().key(enc(r.key())).build(), upload.response());
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        checkLength(request.key());
        MultipartUpload below = super.initiateMultipartUpload(request.toBuilder().key(enc(request.key())).build());
        return new MultipartUpload(below.id(), request, below.response() == null ? null
                : below.response().toBuilder().key(request.key()).build());
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        super.abortMultipartUpload(encoded(upload));
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse r = super.completeMultipartUpload(encoded(upload),
                request.toBuilder().key(enc(request.key())).build());
        return r.key() == null ? r : r.toBuilder().key(request.key()).build();
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream input) {
        return super.uploadMultipartPart(encoded(upload), request.toBuilder().key(enc(request.key())).build(), input);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload upload) {
        return super.listMultipartUpload(encoded(upload));
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String container) {
        List<software.amazon.awssdk.services.s3.model.MultipartUpload> plain = new ArrayList<>();
        for (var u : super.listMultipartUploads(container)) {
            plain.add(u.key() == null ? u : u.toBuilder().key(KeyCodec.decode(u.key())).build());
        }
        return plain;
    }

    @Override
    public boolean supportsVersioning() {
        return false;
    }

    @Override
    public ListObjectVersionsResponse listVersions(ListObjectVersionsRequest request) {
        throw S3Exception.builder().statusCode(501).message("dmap's S3 server does not keep object versions")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NotImplemented")
                        .errorMessage("dmap's S3 server does not keep object versions").build())
                .build();
    }

    @Override
    public void clearContainer(ListObjectsV2Request request) {
        super.clearContainer(request.toBuilder().prefix(enc(request.prefix())).build());
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        String prefix = request.prefix() == null ? "" : request.prefix();
        String delimiter = request.delimiter() == null || request.delimiter().isEmpty() ? null : request.delimiter();
        int max = request.maxKeys() == null ? 1000 : request.maxKeys();
        String after; // encoded name: list what comes after it
        if (request.continuationToken() != null) {
            after = resume(request.continuationToken());
        } else {
            after = request.startAfter() == null || request.startAfter().isEmpty() ? null : enc(request.startAfter());
        }
        List<S3Object> contents = new ArrayList<>();
        List<CommonPrefix> prefixes = new ArrayList<>();
        String lastReturned = null;
        boolean more = true;
        while (more && contents.size() + prefixes.size() < max) {
            int want = max - contents.size() - prefixes.size();
            ListObjectsV2Response page = super.list(ListObjectsV2Request.builder().bucket(request.bucket())
                    .prefix(prefix.isEmpty() ? null : enc(prefix)).startAfter(after).maxKeys(Math.max(want, 1)).build());
            more = Boolean.TRUE.equals(page.isTruncated());
            boolean skipped = false;
            for (S3Object o : page.contents()) {
                String key;
                try {
                    key = KeyCodec.decode(o.key());
                } catch (IllegalArgumentException e) {
                    after = o.key(); // not written through this class (e.g. a folder marker): not an object
                    continue;
                }
                int cut = delimiter == null ? -1 : key.indexOf(delimiter, prefix.length());
                if (cut >= 0) {
                    String common = key.substring(0, cut + delimiter.length());
                    prefixes.add(CommonPrefix.builder().prefix(common).build());
                    lastReturned = "P" + common;
                    after = KeyCodec.afterAllStartingWith(common); // one entry for the whole group: skip the rest
                    skipped = true;
                    more = true;
                    break;
                }
                contents.add(o.toBuilder().key(key).build());
                lastReturned = "K" + key;
                after = o.key();
                if (contents.size() + prefixes.size() >= max) {
                    break;
                }
            }
            if (!skipped && page.contents().isEmpty()) {
                more = false;
            }
        }
        if (more && contents.size() + prefixes.size() >= max) {
            // the page is full: is there anything after it? (a full page ending exactly at the end is not truncated)
            ListObjectsV2Response peek = super.list(ListObjectsV2Request.builder().bucket(request.bucket())
                    .prefix(prefix.isEmpty() ? null : enc(prefix)).startAfter(after).maxKeys(1).build());
            more = !peek.contents().isEmpty();
        }
        ListObjectsV2Response.Builder out = ListObjectsV2Response.builder().name(request.bucket())
                .prefix(request.prefix()).delimiter(request.delimiter()).maxKeys(max)
                .startAfter(request.startAfter()).continuationToken(request.continuationToken())
                .contents(contents).commonPrefixes(prefixes).keyCount(contents.size() + prefixes.size())
                .isTruncated(more && lastReturned != null);
        if (more && lastReturned != null) {
            out.nextContinuationToken(TOKEN.encodeToString(lastReturned.getBytes(StandardCharsets.UTF_8)));
        }
        return out.build();
    }

    /** The encoded name after which a continuation token resumes; a token that is not ours is a 400. */
    private static String resume(String token) {
        String marker;
        try {
            marker = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalidToken();
        }
        if (marker.startsWith("K") && marker.length() > 1) {
            return enc(marker.substring(1));
        }
        if (marker.startsWith("P") && marker.length() > 1) {
            return KeyCodec.afterAllStartingWith(marker.substring(1));
        }
        throw invalidToken();
    }

    private static void checkLength(String key) {
        if (key != null && key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw (S3Exception) S3Exception.builder().statusCode(400).message("Your key is too long")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("KeyTooLongError")
                            .errorMessage("Your key is too long").build())
                    .build();
        }
    }

    private static S3Exception invalidToken() {
        return (S3Exception) S3Exception.builder().statusCode(400).message("The continuation token provided is incorrect")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidArgument")
                        .errorMessage("The continuation token provided is incorrect").build())
                .build();
    }
}
