/** R2 layout of the library: the file at `ws/<workspace>/media/<id>`, its poster beside it. */
export const mediaObjectKey = (workspaceId: string, mediaId: string) => `ws/${workspaceId}/media/${mediaId}`;
export const posterObjectKey = (workspaceId: string, mediaId: string) => `ws/${workspaceId}/media/${mediaId}/poster`;
