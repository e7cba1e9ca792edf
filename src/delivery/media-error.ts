/** Why a medium is not uploaded: a sentence safe to log and to show, never the URL (it may be signed). */
export class MediaError extends Error {}
