/**
 * PayloadObjects (core/messages/payload-objects.ts) in an S3 bucket. The bucket encrypts at rest
 * (SSE-S3, set on the bucket by the stack) and expires objects by their key's retention prefix.
 *
 * @aws-sdk/client-s3 is imported on first use, as its client is created (shared/wiring/clients.ts):
 * most deploys publish no payload over 256 KiB, and a function that never touches the bucket never
 * loads the S3 SDK at cold start.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { PayloadObjects } from '../../core/messages/payload-objects.ts';

/** `client`: the S3 client, created on first use (shared/wiring/clients.ts). */
export function createS3PayloadObjects(bucket: string, client: () => Promise<S3Client>): PayloadObjects {
  const sdk = () => import('@aws-sdk/client-s3');
  return {
    async put(key, body) {
      const { PutObjectCommand } = await sdk();
      await (await client()).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
    },
    async get(key) {
      const { GetObjectCommand, NoSuchKey } = await sdk();
      try {
        const object = await (await client()).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await object.Body?.transformToString('utf8');
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
    async delete(key) {
      const { DeleteObjectCommand } = await sdk();
      await (await client()).send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
  };
}
