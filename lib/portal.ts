/**
 * The app portal on AWS: the built files (portal/dist) in a private S3 bucket, served by the API's own
 * REST API at /portal and /portal/assets/{file} through API Gateway's S3 integration. Same origin as the
 * API, so the portal's svix calls need no CORS and the token never crosses origins.
 *
 * Why S3 through API Gateway rather than the api function:
 * - The api function stays as it is: no 40 KB of portal files in its bundle (its cold start grows with
 *   the bundle), no static-file code path in a function whose every line handles tokens, and no Lambda
 *   concurrency spent on files.
 * - API Gateway adds the headers (CSP with the operator's frame-ancestors, nosniff, no-referrer, cache
 *   rules) per method; the CSP, which contains quotes that API Gateway's static header values cannot
 *   hold, travels as the objects' S3 metadata and is mapped onto the response.
 * - Cost per page view (us-east-1 list prices): a first visit is 3 requests (page, JS, CSS), each $3.50
 *   per million at API Gateway plus $0.40 per million S3 GETs: about $11.70 per million views, i.e.
 *   $0.0000117 a view; a returning visitor fetches only the page (assets are immutable, hashed): about
 *   $3.90 per million. The api function would cost the same API Gateway requests plus Lambda
 *   ($0.20 per million + ~10 ms at 512 MB ≈ $0.28 per million requests): no cheaper, and slower on a
 *   cold start. Data transfer out (~45 KB gzipped, ~180 KB without API Gateway compression) is billed
 *   the same either way.
 * The price: a BucketDeployment custom resource (a CDK-managed Lambda that copies the files at deploy).
 */
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type Node } from 'constructs';
import { ensurePortalBuilt, PORTAL_DIST } from '../portal/build.ts';
import { CACHE_CONTROL, FRAME_ANCESTORS_ENV, parseFrameAncestors, portalContentSecurityPolicy } from '../portal/serving.ts';
import { acknowledge } from './nag.ts';

/** S3 user metadata carrying the CSP (`x-amz-meta-content-security-policy` on every object). */
const CSP_METADATA = 'content-security-policy';

export interface PortalProps {
  readonly restApi: apigw.RestApi;
  /** Origins allowed to frame the portal besides its own ('self' is always included). */
  readonly frameAncestors: readonly string[];
  readonly removalPolicy?: RemovalPolicy;
}

/** `-c portalFrameAncestors=https://app.example.com,https://*.example.org`, else SLUICE_PORTAL_FRAME_ANCESTORS. */
export function portalFrameAncestorsSetting(node: Node, env: NodeJS.ProcessEnv = process.env): string[] {
  const context = node.tryGetContext('portalFrameAncestors') as unknown;
  const raw = typeof context === 'string' ? context : Array.isArray(context) ? context.join(',') : env[FRAME_ANCESTORS_ENV];
  return parseFrameAncestors(raw);
}

export class Portal extends Construct {
  readonly bucket: s3.Bucket;
  readonly deployment: s3deploy.BucketDeployment;
  /** The role API Gateway assumes to read the two object paths, and nothing else. */
  readonly readRole: iam.Role;
  readonly contentSecurityPolicy: string;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    // Synth must ship the current portal: build it when a source is newer than the build.
    ensurePortalBuilt();
    this.contentSecurityPolicy = portalContentSecurityPolicy(props.frameAncestors);
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;

    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Rebuilt from the repository on every deploy: nothing in it is worth keeping.
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: destroy,
    });
    acknowledge(this.bucket, 'AwsSolutions-S1', 'The bucket holds the portal\'s public build output only (no customer data); every read goes through API Gateway, whose access log already records each request to /portal.');

    this.deployment = new s3deploy.BucketDeployment(this, 'Deploy', {
      sources: [s3deploy.Source.asset(PORTAL_DIST)],
      destinationBucket: this.bucket,
      metadata: { [CSP_METADATA]: this.contentSecurityPolicy },
      memoryLimit: 256,
    });

    this.readRole = new iam.Role(this, 'ReadRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'API Gateway reads the portal files (index.html and portal/assets/*) from S3',
    });
    this.readRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [this.bucket.arnForObjects('index.html'), this.bucket.arnForObjects('portal/assets/*')],
      }),
    );
    const bucketLogicalId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    acknowledge(this.readRole, `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/portal/assets/*]`, 'The asset file names carry a content hash that changes on every build; the grant is GetObject on that one prefix of the portal\'s own bucket.');

    // A proxying LambdaRestApi refuses root.addResource; a Resource made directly is the same thing,
    // and API Gateway prefers these explicit paths to the /{proxy+} that goes to the api function.
    const portal = new apigw.Resource(this, 'Resource', { parent: props.restApi.root, pathPart: 'portal' });
    const page = portal.addMethod('GET', this.s3Integration('index.html', CACHE_CONTROL.page), { methodResponses: METHOD_RESPONSES });
    const file = portal
      .addResource('assets')
      .addResource('{file}')
      .addMethod('GET', this.s3Integration('portal/assets/{file}', CACHE_CONTROL.asset, { 'integration.request.path.file': 'method.request.path.file' }), {
        methodResponses: METHOD_RESPONSES,
        requestParameters: { 'method.request.path.file': true },
      });
    for (const method of [page, file]) {
      acknowledge(method, 'AwsSolutions-APIG4', 'The portal\'s static files are public by design, like any login page: they hold no data and no token (the token stays in the URL fragment); every API call the page makes is authorized by the api function.');
      acknowledge(method, 'AwsSolutions-COG4', 'The portal\'s static files are public by design and hold no data; a Cognito authorizer would lock customers out of the page that signs them in (see APIG4).');
    }
    this.acknowledgeDeploymentFindings();
  }

  private s3Integration(key: string, cacheControl: string, requestParameters: Record<string, string> = {}): apigw.AwsIntegration {
    return new apigw.AwsIntegration({
      service: 's3',
      integrationHttpMethod: 'GET',
      path: `${this.bucket.bucketName}/${key}`,
      options: {
        credentialsRole: this.readRole,
        requestParameters,
        integrationResponses: [
          {
            statusCode: '200',
            responseParameters: {
              'method.response.header.Content-Type': 'integration.response.header.Content-Type',
              'method.response.header.Content-Security-Policy': `integration.response.header.x-amz-meta-${CSP_METADATA}`,
              'method.response.header.Cache-Control': `'${cacheControl}'`,
              'method.response.header.X-Content-Type-Options': "'nosniff'",
              'method.response.header.Referrer-Policy': "'no-referrer'",
            },
          },
          // S3 answers 403 for a missing key when the reader may not list the bucket.
          { statusCode: '404', selectionPattern: '4\\d{2}', responseTemplates: { 'application/json': NOT_FOUND_BODY } },
          { statusCode: '500', selectionPattern: '5\\d{2}', responseTemplates: { 'application/json': INTERNAL_BODY } },
        ],
      },
    });
  }

  /** The BucketDeployment's CDK-managed copy function, with the reasons its findings stand. */
  private acknowledgeDeploymentFindings(): void {
    const role = this.deployment.handlerRole;
    acknowledge(role, 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'CDK\'s BucketDeployment function (it runs only at deploy) writes its logs with the basic execution policy AWS documents for that.');
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    const assets = Stack.of(this).synthesizer.bootstrapQualifier ?? 'hnb659fds';
    const wildcards = [
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      `Resource::arn:<AWS::Partition>:s3:::cdk-${assets}-assets-<AWS::AccountId>-<AWS::Region>/*`,
      `Resource::<${bucketId}.Arn>/*`,
    ];
    for (const finding of wildcards) {
      acknowledge(role, `AwsSolutions-IAM5[${finding}]`, 'CDK\'s BucketDeployment function (deploy time only) reads the CDK asset bucket and writes and prunes the portal bucket; aws-cdk-lib writes these grants, scoped to those two buckets.');
    }
    const handler = this.node.scope?.node.findAll().find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (handler !== undefined) {
      acknowledge(handler, 'AwsSolutions-L1', 'The runtime of CDK\'s own BucketDeployment function is chosen by aws-cdk-lib and moves with its upgrades.');
    }
  }
}

const NOT_FOUND_BODY = JSON.stringify({ code: 'not_found', detail: 'Entity not found' });
const INTERNAL_BODY = JSON.stringify({ code: 'internal_error', detail: 'Internal server error' });

const HEADERS = ['Content-Type', 'Content-Security-Policy', 'Cache-Control', 'X-Content-Type-Options', 'Referrer-Policy'];
const METHOD_RESPONSES: apigw.MethodResponse[] = [
  { statusCode: '200', responseParameters: Object.fromEntries(HEADERS.map((h) => [`method.response.header.${h}`, true])) },
  { statusCode: '404' },
  { statusCode: '500' },
];
