import type * as Sesv2 from '@aws-sdk/client-sesv2';
import type * as Sfn from '@aws-sdk/client-sfn';
import type * as Document from '@aws-sdk/lib-dynamodb';
import { deferred } from './lazy-client';

/*
 * The SDK commands the functions send, as stand-ins that need no SDK package until the client of
 * aws-clients.ts sends them (see lazy-client.ts). Import commands from here, not from '@aws-sdk/*':
 * an import of the SDK itself loads it at cold start. There is deliberately no ScanCommand: no
 * request path scans.
 */

export const GetCommand = deferred<typeof Document.GetCommand>('GetCommand');
export const PutCommand = deferred<typeof Document.PutCommand>('PutCommand');
export const UpdateCommand = deferred<typeof Document.UpdateCommand>('UpdateCommand');
export const DeleteCommand = deferred<typeof Document.DeleteCommand>('DeleteCommand');
export const QueryCommand = deferred<typeof Document.QueryCommand>('QueryCommand');
export const BatchGetCommand = deferred<typeof Document.BatchGetCommand>('BatchGetCommand');
export const BatchWriteCommand = deferred<typeof Document.BatchWriteCommand>('BatchWriteCommand');
export const TransactGetCommand = deferred<typeof Document.TransactGetCommand>('TransactGetCommand');
export const TransactWriteCommand = deferred<typeof Document.TransactWriteCommand>('TransactWriteCommand');

export const StartExecutionCommand = deferred<typeof Sfn.StartExecutionCommand>('StartExecutionCommand');
export const SendTaskSuccessCommand = deferred<typeof Sfn.SendTaskSuccessCommand>('SendTaskSuccessCommand');
export const SendTaskFailureCommand = deferred<typeof Sfn.SendTaskFailureCommand>('SendTaskFailureCommand');

export const SendEmailCommand = deferred<typeof Sesv2.SendEmailCommand>('SendEmailCommand');
