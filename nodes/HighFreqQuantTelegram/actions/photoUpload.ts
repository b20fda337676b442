/**
 * Photo upload for Telegram's sendPhoto, shared by Send Signal Card and Send Message: reads an
 * image from an item's binary property and builds the multipart form (fields + the `photo` file).
 * A form is built fresh for every attempt, since a sent form cannot be sent again.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

export interface PhotoFile {
	bytes: Buffer;
	fileName: string;
	mimeType: string;
}

/** The image in `item.binary[property]`, or undefined when the property is empty or the item has no such binary. */
export async function readBinaryPhoto(
	this: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
	property: string,
	defaultFileName: string,
): Promise<PhotoFile | undefined> {
	const name = property.trim();
	const binary = name === '' ? undefined : item.binary?.[name];
	if (binary === undefined) return undefined;
	const bytes = await this.helpers.getBinaryDataBuffer(itemIndex, name);
	return { bytes, fileName: binary.fileName ?? defaultFileName, mimeType: binary.mimeType || 'image/png' };
}

/** A multipart sendPhoto body: every field as a string (objects as JSON), then the photo file. */
export function photoForm(fields: IDataObject, photo: PhotoFile): FormData {
	const form = new FormData();
	for (const [key, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		form.append(key, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
	}
	form.append('photo', new Blob([new Uint8Array(photo.bytes)], { type: photo.mimeType }), photo.fileName);
	return form;
}
